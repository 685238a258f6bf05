namespace DbTls.Wire.Tds;

/// <summary>One TDS packet as received: its header and payload.</summary>
internal sealed record TdsPacket(TdsPacketHeader Header, byte[] Payload);

/// <summary>A whole TDS message: the payloads of its packets joined, up to the one marked end-of-message.</summary>
internal sealed class TdsMessage
{
    public TdsMessage(TdsPacketType type, byte[] payload, IReadOnlyList<TdsPacketHeader> packets)
    {
        Type = type;
        Payload = payload;
        Packets = packets;
    }

    public TdsPacketType Type { get; }

    public byte[] Payload { get; }

    /// <summary>The headers of the packets the message arrived in, in order.</summary>
    public IReadOnlyList<TdsPacketHeader> Packets { get; }

    /// <summary>The sender set the Ignore bit on the last packet: the message is to be discarded.</summary>
    public bool IsIgnored => Packets.Count > 0 && (Packets[^1].Status & TdsPacketStatus.Ignore) != 0;

    public ushort Spid => Packets.Count > 0 ? Packets[0].Spid : (ushort)0;
}

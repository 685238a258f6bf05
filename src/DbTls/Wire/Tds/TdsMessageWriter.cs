namespace DbTls.Wire.Tds;

/// <summary>Splits a message into TDS packets: packet ids count from 1, the last packet carries end-of-message.</summary>
internal static class TdsMessageWriter
{
    /// <summary>The packets of one message, each a complete header plus payload.</summary>
    public static IReadOnlyList<byte[]> SplitIntoPackets(
        TdsPacketType type,
        ReadOnlySpan<byte> payload,
        int packetSize = TdsPacketHeader.DefaultPacketSize,
        ushort spid = 0,
        TdsPacketStatus extraStatus = TdsPacketStatus.Normal)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(packetSize, TdsPacketHeader.Size + 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(packetSize, TdsPacketHeader.MaxPacketSize);
        var chunk = packetSize - TdsPacketHeader.Size;
        var packets = new List<byte[]>();
        var offset = 0;
        byte packetId = 1;
        do
        {
            var length = Math.Min(chunk, payload.Length - offset);
            var last = offset + length >= payload.Length;
            var packet = new byte[TdsPacketHeader.Size + length];
            var status = extraStatus | (last ? TdsPacketStatus.EndOfMessage : TdsPacketStatus.Normal);
            new TdsPacketHeader(type, status, (ushort)packet.Length, spid, packetId, 0).Write(packet);
            payload.Slice(offset, length).CopyTo(packet.AsSpan(TdsPacketHeader.Size));
            packets.Add(packet);
            offset += length;
            packetId = unchecked((byte)(packetId + 1));
        }
        while (offset < payload.Length);

        return packets;
    }

    /// <summary>The packets of one message, concatenated.</summary>
    public static byte[] Frame(
        TdsPacketType type,
        ReadOnlySpan<byte> payload,
        int packetSize = TdsPacketHeader.DefaultPacketSize,
        ushort spid = 0,
        TdsPacketStatus extraStatus = TdsPacketStatus.Normal)
    {
        var packets = SplitIntoPackets(type, payload, packetSize, spid, extraStatus);
        var result = new byte[packets.Sum(p => p.Length)];
        var offset = 0;
        foreach (var packet in packets)
        {
            packet.CopyTo(result, offset);
            offset += packet.Length;
        }

        return result;
    }

    public static async ValueTask WriteMessageAsync(
        Stream stream,
        TdsPacketType type,
        ReadOnlyMemory<byte> payload,
        CancellationToken cancellationToken,
        int packetSize = TdsPacketHeader.DefaultPacketSize,
        ushort spid = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var framed = Frame(type, payload.Span, packetSize, spid);
        await stream.WriteAsync(framed, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes LOGIN7 the way login-only encryption demands (SqlClient, FreeTDS): the first packet to
    /// <paramref name="firstPacketStream"/> (the TLS stream), any further packets to
    /// <paramref name="remainingPacketsStream"/> (the clear transport). With full or no encryption
    /// pass the same stream twice. Returns how many packets went to each.
    /// </summary>
    public static async ValueTask<(int First, int Remaining)> WriteLoginAsync(
        Stream firstPacketStream,
        Stream remainingPacketsStream,
        ReadOnlyMemory<byte> login7,
        CancellationToken cancellationToken,
        int packetSize = TdsPacketHeader.DefaultPacketSize)
    {
        ArgumentNullException.ThrowIfNull(firstPacketStream);
        ArgumentNullException.ThrowIfNull(remainingPacketsStream);
        var packets = SplitIntoPackets(TdsPacketType.Login7, login7.Span, packetSize);
        await firstPacketStream.WriteAsync(packets[0], cancellationToken).ConfigureAwait(false);
        await firstPacketStream.FlushAsync(cancellationToken).ConfigureAwait(false);
        foreach (var packet in packets.Skip(1))
        {
            await remainingPacketsStream.WriteAsync(packet, cancellationToken).ConfigureAwait(false);
        }

        await remainingPacketsStream.FlushAsync(cancellationToken).ConfigureAwait(false);
        return (1, packets.Count - 1);
    }
}

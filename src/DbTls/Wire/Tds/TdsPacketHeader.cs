using System.Buffers.Binary;

namespace DbTls.Wire.Tds;

/// <summary>
/// The 8-byte header in front of every TDS packet (MS-TDS 2.2.3.1). Length and SPID are big-endian
/// and Length counts the header itself.
/// </summary>
internal readonly record struct TdsPacketHeader(TdsPacketType Type, TdsPacketStatus Status, ushort Length, ushort Spid, byte PacketId, byte Window)
{
    public const int Size = 8;

    /// <summary>The largest packet size a client can negotiate (MS-TDS: 32767; SqlClient allows 32768).</summary>
    public const int MaxPacketSize = 32768;

    /// <summary>The packet size clients use until LOGIN7 negotiates another one.</summary>
    public const int DefaultPacketSize = 4096;

    public int PayloadLength => Length - Size;

    public bool IsEndOfMessage => (Status & TdsPacketStatus.EndOfMessage) != 0;

    /// <summary>Parses a header and checks its length against <see cref="Size"/> and <paramref name="maxPacketSize"/>.</summary>
    public static TdsPacketHeader Parse(ReadOnlySpan<byte> header, int maxPacketSize = MaxPacketSize)
    {
        if (header.Length < Size)
        {
            throw TdsErrors.Violation($"TDS packet header: {header.Length} bytes, a header has {Size}");
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        if (length < Size)
        {
            throw TdsErrors.Violation($"TDS packet header: length {length} is shorter than the header itself");
        }

        if (length > maxPacketSize)
        {
            throw TdsErrors.Violation($"TDS packet header: length {length} exceeds the maximum packet size {maxPacketSize}");
        }

        return new TdsPacketHeader(
            (TdsPacketType)header[0],
            (TdsPacketStatus)header[1],
            length,
            BinaryPrimitives.ReadUInt16BigEndian(header[4..]),
            header[6],
            header[7]);
    }

    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException("the destination is shorter than a TDS header", nameof(destination));
        }

        destination[0] = (byte)Type;
        destination[1] = (byte)Status;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Length);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], Spid);
        destination[6] = PacketId;
        destination[7] = Window;
    }

    /// <summary>Whether the byte could start a TDS packet header of a known type.</summary>
    public static bool IsKnownType(byte type) => Enum.IsDefined((TdsPacketType)type);
}

using System.Buffers.Binary;

namespace DbTls.Tls.Records;

/// <summary>TLS record content types (RFC 8446 5.1, RFC 5246 6.2.1).</summary>
internal enum TlsContentType : byte
{
    ChangeCipherSpec = 20,
    Alert = 21,
    Handshake = 22,
    ApplicationData = 23,
}

/// <summary>
/// The five-byte header in front of every TLS record: content type, legacy record version, body length.
/// Parsing never throws; a caller that has fewer than <see cref="Length"/> bytes gets <c>false</c>.
/// </summary>
internal readonly record struct TlsRecordHeader(TlsContentType ContentType, byte MajorVersion, byte MinorVersion, int BodyLength)
{
    /// <summary>Size of the header on the wire.</summary>
    public const int Length = 5;

    /// <summary>Reads a header from the start of <paramref name="bytes"/>; false when fewer than five bytes are there.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out TlsRecordHeader header)
    {
        if (bytes.Length < Length)
        {
            header = default;
            return false;
        }

        header = new TlsRecordHeader((TlsContentType)bytes[0], bytes[1], bytes[2], BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(3, 2)));
        return true;
    }
}

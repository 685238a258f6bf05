namespace DbTls.Tls.Records;

/// <summary>
/// A whole plaintext alert record (RFC 5246 7.2, RFC 8446 6): the header, then level and description.
/// Only records whose header says exactly two body bytes count; anything else is not an alert we can read.
/// </summary>
internal readonly record struct TlsAlertRecord(TlsRecordHeader Header, byte Level, byte Description)
{
    public const byte Fatal = 2;
    public const byte HandshakeFailure = 40;

    private const int BodyLength = 2;

    public bool IsFatal => Level == Fatal;

    /// <summary>Reads an alert record from the start of <paramref name="bytes"/>; false for any other record or too few bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out TlsAlertRecord alert)
    {
        alert = default;
        if (!TlsRecordHeader.TryRead(bytes, out var header) || header.ContentType != TlsContentType.Alert
            || header.BodyLength != BodyLength || bytes.Length < TlsRecordHeader.Length + BodyLength)
        {
            return false;
        }

        alert = new TlsAlertRecord(header, bytes[TlsRecordHeader.Length], bytes[TlsRecordHeader.Length + 1]);
        return true;
    }
}

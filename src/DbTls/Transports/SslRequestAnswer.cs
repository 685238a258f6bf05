using DbTls.Diagnostics;

namespace DbTls.Transports;

/// <summary>What the one byte a PostgreSQL server sends back to an SSLRequest means.</summary>
internal enum SslRequestAnswerKind
{
    /// <summary>'S': the server is ready for a TLS ClientHello.</summary>
    Accepted,

    /// <summary>'N': the server does not do TLS on this connection; the client may go on in clear on the same socket.</summary>
    Refused,

    /// <summary>'E': an ErrorResponse, from a server too old to know SSLRequest or from anything in the path.</summary>
    Error,

    /// <summary>Any other byte: probably not a PostgreSQL server.</summary>
    Invalid,
}

/// <summary>
/// The server's answer to an SSLRequest, read by <see cref="PostgresTransport.RequestSslAsync"/>. Nothing in it
/// is authenticated: it arrived before TLS.
/// </summary>
internal sealed class SslRequestAnswer
{
    private readonly string? _errorMessage;

    internal SslRequestAnswer(byte value, int unencryptedBytesAfter, string? errorMessage = null)
    {
        Byte = value;
        UnencryptedBytesAfter = unencryptedBytesAfter;
        _errorMessage = errorMessage;
    }

    /// <summary>The answer byte as received.</summary>
    public byte Byte { get; }

    public SslRequestAnswerKind Kind => (char)Byte switch
    {
        'S' => SslRequestAnswerKind.Accepted,
        'N' => SslRequestAnswerKind.Refused,
        'E' => SslRequestAnswerKind.Error,
        _ => SslRequestAnswerKind.Invalid,
    };

    /// <summary>
    /// Bytes that had already arrived behind an 'S'. They came in clear and may be injected (CVE-2021-23222); a
    /// client must not hand them to TLS, so with any of them <see cref="MayStartTls"/> is false.
    /// </summary>
    public int UnencryptedBytesAfter { get; }

    /// <summary>True when a TLS ClientHello may now be sent on the connection's stream.</summary>
    public bool MayStartTls => Kind == SslRequestAnswerKind.Accepted && UnencryptedBytesAfter == 0;

    /// <summary>The byte as reports show it: the character when printable ('S', 'N', 'E'), else <c>0xNN</c>.</summary>
    public string Display => Byte is >= 0x21 and <= 0x7E ? ((char)Byte).ToString() : $"0x{Byte:X2}";

    /// <summary>
    /// The finding a client that requires TLS makes of this answer, or null for 'S' with nothing behind it and
    /// for 'N' (whether 'N' is a failure depends on the client's mode).
    /// </summary>
    public DbTlsException? Failure => Kind switch
    {
        SslRequestAnswerKind.Accepted when UnencryptedBytesAfter > 0 => new DbTlsException(FindingCodes.ServerUnencryptedDataAfterSslResponse,
            $"the server answered 'S' to the SSLRequest and then sent {UnencryptedBytesAfter} more unencrypted byte(s) before the TLS handshake; dbtls did not start TLS on this connection"),
        SslRequestAnswerKind.Error => new DbTlsException(FindingCodes.ServerError, _errorMessage ?? "the server sent an error response to the SSLRequest"),
        SslRequestAnswerKind.Invalid => new DbTlsException(FindingCodes.ServerProtocolViolation,
            $"received an invalid answer to the SSLRequest: byte 0x{Byte:X2} (expected 'S' or 'N'); this port may not belong to a PostgreSQL server"),
        _ => null,
    };
}

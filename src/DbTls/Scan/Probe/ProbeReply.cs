namespace DbTls.Scan.Probe;

/// <summary>What the server's bytes after a ClientHello amount to.</summary>
public enum ProbeReplyKind
{
    /// <summary>A ServerHello: the offer was accepted (in TLS ≤ 1.2 possibly for a lower version than offered).</summary>
    ServerHello,

    /// <summary>A TLS 1.3 HelloRetryRequest: the version and suite are accepted, the server wants a key share for another group.</summary>
    HelloRetryRequest,

    /// <summary>A TLS alert: the offer was refused.</summary>
    Alert,

    /// <summary>The connection ended (or the bytes stopped) before a whole answer arrived.</summary>
    Truncated,

    /// <summary>A record or message longer than TLS allows, or more bytes than any first flight needs.</summary>
    Oversized,

    /// <summary>Nothing came back within the probe's time limit.</summary>
    Silent,

    /// <summary>The way in (TCP connect, SSLRequest, PRELOGIN) failed before a ClientHello could be sent.</summary>
    NoEntry,

    /// <summary>Bytes that are not a TLS record or that break the handshake's structure.</summary>
    Malformed,

    /// <summary>
    /// The server closed (or reset) the connection without sending a byte: a refusal, as servers whose TLS library
    /// drops an unwanted version without an alert do, not a broken answer.
    /// </summary>
    Closed,
}

/// <summary>The parsed answer to one probe. Only the fields that fit <see cref="Kind"/> are set.</summary>
public sealed record ProbeReply
{
    public required ProbeReplyKind Kind { get; init; }

    /// <summary>The negotiated version (supported_versions when present, else the ServerHello's version).</summary>
    public ushort Version { get; init; }

    public ushort Suite { get; init; }

    /// <summary>The group of the server's key share (TLS 1.3 ServerHello) or the group a HelloRetryRequest asks for.</summary>
    public ushort? Group { get; init; }

    public string? Alpn { get; init; }

    public bool SecureRenegotiation { get; init; }

    public bool ExtendedMasterSecret { get; init; }

    public byte Compression { get; init; }

    /// <summary>The ServerHello gave the session an id (TLS ≤ 1.2: the server keeps sessions for resumption by id).</summary>
    public bool SessionId { get; init; }

    /// <summary>The ServerHello answered the session_ticket extension (RFC 5077): the server will issue a ticket.</summary>
    public bool SessionTicket { get; init; }

    /// <summary>Whether a TLS ≤ 1.2 flight carried a CertificateStatus with an OCSP response (only asked with the certificate).</summary>
    public bool OcspStapled { get; init; }

    /// <summary>The DER certificates of a TLS ≤ 1.2 Certificate message, leaf first (empty when not asked or not sent).</summary>
    public IReadOnlyList<byte[]> Certificates { get; init; } = [];

    public byte AlertLevel { get; init; }

    public byte AlertDescription { get; init; }

    /// <summary>Why the bytes were rejected (Malformed, Oversized, Truncated), in protocol terms.</summary>
    public string? Detail { get; init; }

    /// <summary>
    /// For <see cref="ProbeReplyKind.NoEntry"/>: the transport's finding code when the way in failed (<c>net.*</c> for
    /// no connection or silence, <c>server.*</c> for a server that broke the protocol); null when the server answered
    /// the way in properly and said it offers no TLS there (an SSLRequest 'N', a PRELOGIN without encryption).
    /// </summary>
    public string? EntryCode { get; init; }

    public bool Accepted => Kind is ProbeReplyKind.ServerHello or ProbeReplyKind.HelloRetryRequest;

    public static ProbeReply Fault(ProbeReplyKind kind, string detail) => new() { Kind = kind, Detail = detail };
}

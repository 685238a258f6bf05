namespace DbTls.Tests.Dialects;

/// <summary>What a real client did with the probe's PRELOGIN answer.</summary>
public enum ProbeOutcome
{
    /// <summary>The client closed the connection without sending anything more: it gave up.</summary>
    Closed,

    /// <summary>The client sent LOGIN7 in plaintext.</summary>
    PlaintextLogin,

    /// <summary>The client completed TLS with the probe's untrusted certificate and sent data through it: it did not validate.</summary>
    TlsAccepted,

    /// <summary>
    /// The client started TLS and then gave up before sending any data through it: it validated the
    /// certificate and rejected it (.NET on Linux checks the certificate after OpenSSL's handshake, so the
    /// handshake alone can complete).
    /// </summary>
    TlsRejected,
}

/// <summary>The first connection a real driver made to the probe.</summary>
/// <param name="ClientEncryption">The PRELOGIN ENCRYPTION byte the client sent (inside TLS under TDS 8.0).</param>
/// <param name="Outcome">What the client did next.</param>
/// <param name="Sni">The server name the client sent in SNI, if any.</param>
/// <param name="Alpn">The ALPN protocol agreed on, if any (the probe offers only <c>tds/8.0</c>).</param>
public sealed record ProbeResult(byte? ClientEncryption, ProbeOutcome Outcome, string? Sni, string? Alpn);

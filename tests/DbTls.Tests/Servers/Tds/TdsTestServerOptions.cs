using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Servers.Tds;

/// <summary>Whether the server accepts TDS 8.0 (TLS on the first byte, ALPN tds/8.0).</summary>
public enum TdsStrictMode
{
    /// <summary>Only TDS 7.x: a connection that starts with a TLS ClientHello is closed.</summary>
    Disallowed,

    /// <summary>Both, decided by the first byte (0x12 PRELOGIN or 0x16 TLS), as SQL Server 2022 does.</summary>
    Allowed,

    /// <summary>Only TDS 8.0 ("Force Strict Encryption").</summary>
    Required,
}

/// <summary>Deliberate protocol faults for tests of the client's error handling.</summary>
public enum TdsServerMisbehavior
{
    None,

    /// <summary>Accept the TCP connection and never send a byte.</summary>
    Silent,

    /// <summary>A PRELOGIN response whose packet header announces more bytes than are sent, then close.</summary>
    TruncatedPreLogin,

    /// <summary>A PRELOGIN response larger than any PRELOGIN (several packets of option data).</summary>
    OversizedPreLogin,

    /// <summary>A PRELOGIN response whose ENCRYPTION option points beyond the payload.</summary>
    MalformedPreLogin,

    /// <summary>Send the PRELOGIN response, then close the connection.</summary>
    CloseAfterPreLogin,

    /// <summary>After a full-encryption TLS handshake, answer LOGIN7 in clear text instead of through TLS.</summary>
    DropOutOfTls,

    /// <summary>Answer the TLS ClientHello (in PRELOGIN packets) with a clear-text ERROR token in a 0x04 packet.</summary>
    ErrorInsteadOfTls,

    /// <summary>Answer a correct LOGIN7 with a token stream whose LOGINACK claims more bytes than the message holds, then close.</summary>
    MalformedLoginResponse,
}

/// <summary>How a <see cref="TdsTestServer"/> behaves.</summary>
public sealed record TdsTestServerOptions
{
    /// <summary>
    /// The server's encryption setting, from which it derives its PRELOGIN answer with the MS-TDS
    /// table: Off = certificate, not forced; On/Required = forced; NotSupported = no certificate.
    /// </summary>
    internal PreLoginEncryption Encryption { get; init; } = PreLoginEncryption.Off;

    /// <summary>Answer with this ENCRYPTION value whatever the client sent (bypasses the table).</summary>
    internal PreLoginEncryption? EncryptionAnswerOverride { get; init; }

    /// <summary>Leave the ENCRYPTION option out of the PRELOGIN response altogether.</summary>
    public bool OmitEncryptionOption { get; init; }

    /// <summary>The server certificate with its private key; required unless encryption is NotSupported.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Intermediate certificates sent after the leaf.</summary>
    public X509Certificate2Collection Intermediates { get; init; } = [];

    public TdsStrictMode Strict { get; init; } = TdsStrictMode.Allowed;

    /// <summary>TLS versions for the handshake wrapped in PRELOGIN packets. SQL Server does only up to TLS 1.2 there.</summary>
    public SslProtocols WrappedTlsProtocols { get; init; } = SslProtocols.Tls12;

    /// <summary>
    /// Do the TLS handshake wrapped in PRELOGIN packets with BouncyCastle, offering exactly this one legacy
    /// version (TLS 1.0 or 1.1), as an old SQL Server does; null uses SslStream with <see cref="WrappedTlsProtocols"/>.
    /// </summary>
    public DbTls.Policy.TlsProtocolVersion? LegacyWrappedTls { get; init; }

    /// <summary>TLS versions for TDS 8.0 strict connections.</summary>
    public SslProtocols StrictTlsProtocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>The packet type the server wraps its TLS handshake in: 0x12 like SQL Server, or 0x04.</summary>
    internal TdsPacketType HandshakePacketType { get; init; } = TdsPacketType.PreLogin;

    public string User { get; init; } = "dbtls";

    public string Password { get; init; } = "Dbtls-Test-Pw1!";

    public string ServerName { get; init; } = "DBTLSTEST";

    internal PreLoginVersion ServerVersion { get; init; } = new(16, 0, 4135, 0);

    public TdsServerMisbehavior Misbehavior { get; init; }

    /// <summary>
    /// The login lacks VIEW SERVER STATE: sys.dm_exec_connections answers with SQL Server's error 300
    /// instead of a row, as it does for an ordinary login.
    /// </summary>
    public bool DenyViewServerState { get; init; }

    /// <summary>
    /// What encrypt_option says regardless of the connection (a server behind a TLS-terminating proxy);
    /// null reports the real state.
    /// </summary>
    public string? EncryptOptionOverride { get; init; }
}

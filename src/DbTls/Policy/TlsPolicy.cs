using System.Collections.Immutable;

namespace DbTls.Policy;

/// <summary>
/// What the user wants of a TLS connection, independent of the dialect it was written in.
/// Dialects translate driver settings into this; the wire and TLS layers only read it.
/// </summary>
public sealed record TlsPolicy
{
    public required EncryptionMode Encryption { get; init; }

    /// <summary>Only meaningful for <see cref="EncryptionMode.Opportunistic"/>.</summary>
    public OpportunisticOrder OpportunisticOrder { get; init; } = OpportunisticOrder.EncryptedFirst;

    /// <summary>
    /// Whether a failed TLS handshake (not just a refusal) still falls back to plaintext. libpq
    /// <c>prefer</c> does: it reconnects without SSL when the handshake or verification fails.
    /// </summary>
    public bool FallBackOnHandshakeFailure { get; init; }

    public VerificationLevel Verification { get; init; } = VerificationLevel.ChainAndHostName;

    public TrustSource Trust { get; init; } = TrustSource.System;

    public HostNameRules HostNameRules { get; init; } = HostNameRules.Rfc6125;

    /// <summary>The name to verify instead of the connection host (SqlClient <c>HostNameInCertificate</c>); null means the host.</summary>
    public string? ExpectedHostName { get; init; }

    public RevocationPolicy Revocation { get; init; } = RevocationPolicy.None;

    /// <summary>The TLS library whose chain building decides the verdict (the driver's own).</summary>
    public ChainEngine ChainEngine { get; init; } = ChainEngine.DotNet;

    public ClientCertificateMode ClientCertificateMode { get; init; } = ClientCertificateMode.Allowed;

    public ClientCertificateSource? ClientCertificate { get; init; }

    public TlsProtocolVersion? MinProtocol { get; init; }

    public TlsProtocolVersion? MaxProtocol { get; init; }

    /// <summary>Send the host name in the SNI extension (never for IP literals, as OpenSSL clients do).</summary>
    public bool SendSni { get; init; } = true;

    /// <summary>ALPN protocol identifiers offered, in order; empty offers none.</summary>
    public ImmutableArray<string> Alpn { get; init; } = [];

    /// <summary>
    /// A certificate file (PEM or DER) the server's leaf certificate is compared with byte for byte
    /// (SqlClient <c>ServerCertificate</c>, JDBC <c>serverCertificate</c>). How the pin combines with the
    /// rest of validation depends on <see cref="Verification"/>:
    /// <list type="bullet">
    /// <item><see cref="VerificationLevel.PinnedCertificate"/> (JDBC): only the pin decides, plus validity dates.</item>
    /// <item><see cref="VerificationLevel.ChainAndHostName"/> (SqlClient): the pin alone decides. Measured with
    /// Microsoft.Data.SqlClient 7.1.0 (SqlClientPinningTests): a byte-identical certificate is accepted whatever its
    /// chain, host names and dates; a different one is rejected even when chain and host name validate; a pin file
    /// that cannot be loaded fails the connection. Chain and host name are still checked for the report. (The
    /// SqlClient sources before 7.1 read the pin only after a chain or name error and ignored an unloadable file;
    /// 7.1.0 does not behave so.)</item>
    /// </list>
    /// Null means no pin.
    /// </summary>
    public string? PinnedCertificatePath { get; init; }

    /// <summary>
    /// Why a driver that verifies in general accepts any certificate on this connection (SqlClient's login-only TLS,
    /// TrustServerCertificate): every validation step left unchecked says so, instead of the generic "verification is off".
    /// </summary>
    internal string? UnverifiedReason { get; init; }
}

using DbTls.Dialects.Libpq;
using DbTls.Policy;

namespace DbTls.Tests.Wire.Postgres;

/// <summary>
/// Builds <see cref="PostgresConnectionSpec"/>s the way libpq's sslmode values translate into a
/// policy, so that wire tests do not depend on the connection-string parser.
/// </summary>
internal static class PostgresTestSpecs
{
    public const string Password = "s3cret-Pa55word!";

    public static PostgresConnectionSpec For(
        string sslmode,
        int port,
        string? password = null,
        ChannelBindingMode channelBinding = ChannelBindingMode.Prefer,
        string host = "127.0.0.1",
        PostgresNegotiation negotiation = PostgresNegotiation.Postgres,
        string? rootCertificate = null,
        string user = "alice",
        TimeSpan? connectTimeout = null,
        string? hostAddress = null)
    {
        var policy = sslmode switch
        {
            "disable" => new TlsPolicy { Encryption = EncryptionMode.Disabled, Verification = VerificationLevel.None },
            "allow" => new TlsPolicy { Encryption = EncryptionMode.Opportunistic, OpportunisticOrder = OpportunisticOrder.PlaintextFirst, Verification = VerificationLevel.None, FallBackOnHandshakeFailure = true },
            "prefer" => new TlsPolicy { Encryption = EncryptionMode.Opportunistic, OpportunisticOrder = OpportunisticOrder.EncryptedFirst, Verification = VerificationLevel.None, FallBackOnHandshakeFailure = true },
            "require" => new TlsPolicy { Encryption = EncryptionMode.Required, Verification = VerificationLevel.None },
            "verify-ca" => new TlsPolicy { Encryption = EncryptionMode.Required, Verification = VerificationLevel.Chain, Trust = new TrustSource.PemFile(rootCertificate ?? "/nonexistent/root.crt"), HostNameRules = HostNameRules.Libpq },
            "verify-full" => new TlsPolicy { Encryption = EncryptionMode.Required, Verification = VerificationLevel.ChainAndHostName, Trust = new TrustSource.PemFile(rootCertificate ?? "/nonexistent/root.crt"), HostNameRules = HostNameRules.Libpq },
            _ => throw new ArgumentOutOfRangeException(nameof(sslmode), sslmode, null),
        };
        return new PostgresConnectionSpec
        {
            Host = host,
            HostAddress = hostAddress,
            Port = port,
            User = user,
            Database = "appdb",
            Password = password is null ? null : new Secret(password),
            SslMode = sslmode,
            Tls = policy,
            ChannelBinding = channelBinding,
            Negotiation = negotiation,
            ConnectTimeout = connectTimeout,
            RedactedConnectionString = $"host={host} port={port} user={user} dbname=appdb sslmode={sslmode}" + (password is null ? "" : " password=********"),
        };
    }
}

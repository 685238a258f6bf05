using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Dialects.Libpq;

/// <summary>How the TLS handshake is started on a PostgreSQL connection (libpq <c>sslnegotiation</c>).</summary>
internal enum PostgresNegotiation
{
    /// <summary>SSLRequest first, TLS after the server's 'S' (the traditional way, every server version).</summary>
    Postgres,

    /// <summary>TLS on the first byte with ALPN <c>postgresql</c> (PostgreSQL 17 and later).</summary>
    Direct,
}

/// <summary>libpq <c>channel_binding</c>.</summary>
internal enum ChannelBindingMode
{
    Disable,
    Prefer,
    Require,
}

/// <summary>
/// A PostgreSQL connection as libpq would make it: where to connect, who to log in as, and the
/// dialect-free <see cref="TlsPolicy"/> that libpq's settings amount to.
/// </summary>
internal sealed record PostgresConnectionSpec
{
    /// <summary>The host name or IP literal used for SNI and certificate checks (libpq <c>host</c>); null when only hostaddr was given.</summary>
    public string? Host { get; init; }

    /// <summary>libpq <c>hostaddr</c>: the address to connect to without a name lookup.</summary>
    public string? HostAddress { get; init; }

    public int Port { get; init; } = 5432;

    public required string User { get; init; }

    public required string Database { get; init; }

    public Secret? Password { get; init; }

    /// <summary>libpq <c>connect_timeout</c>; null means wait indefinitely (the CLI applies its own default).</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    public PostgresNegotiation Negotiation { get; init; } = PostgresNegotiation.Postgres;

    public ChannelBindingMode ChannelBinding { get; init; } = ChannelBindingMode.Prefer;

    /// <summary>The sslmode in effect after libpq's rules (e.g. <c>prefer</c>, or <c>verify-full</c> implied by sslrootcert=system).</summary>
    public required string SslMode { get; init; }

    public required TlsPolicy Tls { get; init; }

    public string ApplicationName { get; init; } = "dbtls";

    /// <summary>The connection string with every secret replaced by <c>********</c>.</summary>
    public required string RedactedConnectionString { get; init; }

    /// <summary>Where settings came from beyond the string itself, e.g. <c>PGSSLMODE=require</c>, <c>sslrootcert: ~/.postgresql/root.crt (default file)</c>.</summary>
    public ImmutableArray<string> Sources { get; init; } = [];

    /// <summary>Findings the settings alone justify (weak sslmode, implied verification).</summary>
    public ImmutableArray<Finding> Findings { get; init; } = [];

    /// <summary>The dialect the report names: the PostgreSQL drivers share this spec and the check, not their names.</summary>
    public string Dialect { get; init; } = "libpq";

    /// <summary>How the report sums up the TLS settings as the driver spells them; null writes libpq's <c>sslmode=...</c>.</summary>
    public string? PolicySummary { get; init; }
}

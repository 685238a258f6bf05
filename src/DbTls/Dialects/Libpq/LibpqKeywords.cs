using System.Collections.Frozen;
using System.Collections.Immutable;

namespace DbTls.Dialects.Libpq;

/// <summary>
/// One libpq connection keyword with the environment variable and compiled-in default libpq
/// falls back to when the connection string leaves it out (fe-connect.c, PQconninfoOptions).
/// </summary>
internal sealed record LibpqKeyword(string Name, string? EnvironmentVariable, string? CompiledDefault, bool IsSecret = false);

/// <summary>The keywords libpq (PostgreSQL 18) accepts. Anything else is <c>invalid connection option</c>.</summary>
internal static class LibpqKeywords
{
    public const string Service = "service";
    public const string User = "user";
    public const string Password = "password";
    public const string PassFile = "passfile";
    public const string ChannelBinding = "channel_binding";
    public const string ConnectTimeout = "connect_timeout";
    public const string DbName = "dbname";
    public const string Host = "host";
    public const string HostAddr = "hostaddr";
    public const string Port = "port";
    public const string ApplicationName = "application_name";
    public const string FallbackApplicationName = "fallback_application_name";
    public const string SslMode = "sslmode";
    public const string SslNegotiation = "sslnegotiation";
    public const string SslCert = "sslcert";
    public const string SslKey = "sslkey";
    public const string SslCertMode = "sslcertmode";
    public const string SslPassword = "sslpassword";
    public const string SslRootCert = "sslrootcert";
    public const string SslCrl = "sslcrl";
    public const string SslCrlDir = "sslcrldir";
    public const string SslSni = "sslsni";
    public const string RequireAuth = "require_auth";
    public const string SslMinProtocolVersion = "ssl_min_protocol_version";
    public const string SslMaxProtocolVersion = "ssl_max_protocol_version";
    public const string GssEncMode = "gssencmode";
    public const string TargetSessionAttrs = "target_session_attrs";
    public const string LoadBalanceHosts = "load_balance_hosts";
    public const string OAuthClientSecret = "oauth_client_secret";

    /// <summary>The legacy keyword libpq rewrites to sslmode before it looks the keyword up.</summary>
    public const string RequireSsl = "requiressl";

    /// <summary>In the order of libpq's table, which is the order defaults are applied in.</summary>
    public static ImmutableArray<LibpqKeyword> InOrder { get; } =
    [
        new(Service, "PGSERVICE", null),
        new(User, "PGUSER", null),
        new(Password, "PGPASSWORD", null, IsSecret: true),
        new(PassFile, "PGPASSFILE", null),
        new(ChannelBinding, "PGCHANNELBINDING", "prefer"),
        new(ConnectTimeout, "PGCONNECT_TIMEOUT", null),
        new(DbName, "PGDATABASE", null),
        new(Host, "PGHOST", null),
        new(HostAddr, "PGHOSTADDR", null),
        new(Port, "PGPORT", "5432"),
        new("client_encoding", "PGCLIENTENCODING", null),
        new("options", "PGOPTIONS", ""),
        new(ApplicationName, "PGAPPNAME", null),
        new(FallbackApplicationName, null, null),
        new("keepalives", null, null),
        new("keepalives_idle", null, null),
        new("keepalives_interval", null, null),
        new("keepalives_count", null, null),
        new("tcp_user_timeout", null, null),
        new(SslMode, "PGSSLMODE", "prefer"),
        new(SslNegotiation, "PGSSLNEGOTIATION", "postgres"),
        new("sslcompression", "PGSSLCOMPRESSION", "0"),
        new(SslCert, "PGSSLCERT", null),
        new(SslKey, "PGSSLKEY", null),
        new(SslCertMode, "PGSSLCERTMODE", null),
        new(SslPassword, null, null, IsSecret: true),
        new(SslRootCert, "PGSSLROOTCERT", null),
        new(SslCrl, "PGSSLCRL", null),
        new(SslCrlDir, "PGSSLCRLDIR", null),
        new(SslSni, "PGSSLSNI", "1"),
        new("sslkeylogfile", null, null),
        new("requirepeer", "PGREQUIREPEER", null),
        new(RequireAuth, "PGREQUIREAUTH", null),
        new(SslMinProtocolVersion, "PGSSLMINPROTOCOLVERSION", "TLSv1.2"),
        new(SslMaxProtocolVersion, "PGSSLMAXPROTOCOLVERSION", null),
        new("min_protocol_version", "PGMINPROTOCOLVERSION", null),
        new("max_protocol_version", "PGMAXPROTOCOLVERSION", null),
        new(GssEncMode, "PGGSSENCMODE", "prefer"),
        new("krbsrvname", "PGKRBSRVNAME", "postgres"),
        new("gsslib", "PGGSSLIB", null),
        new("gssdelegation", "PGGSSDELEGATION", "0"),
        new("replication", null, null),
        new(TargetSessionAttrs, "PGTARGETSESSIONATTRS", "any"),
        new(LoadBalanceHosts, "PGLOADBALANCEHOSTS", "disable"),
        new("scram_client_key", null, null, IsSecret: true),
        new("scram_server_key", null, null, IsSecret: true),
        new("oauth_issuer", null, null),
        new("oauth_client_id", null, null),
        new(OAuthClientSecret, null, null, IsSecret: true),
        new("oauth_scope", null, null),
    ];

    private static readonly FrozenDictionary<string, LibpqKeyword> ByName =
        InOrder.ToFrozenDictionary(k => k.Name, StringComparer.Ordinal);

    public static bool TryGet(string name, out LibpqKeyword keyword) =>
        ByName.TryGetValue(name, out keyword!);

    /// <summary>Whether a keyword's value is a secret that must never be shown (password, sslpassword, ...).</summary>
    public static bool IsSecret(string name) => ByName.TryGetValue(name, out var keyword) && keyword.IsSecret;

    /// <summary>
    /// libpq's conninfo_storeval: <c>requiressl=1</c> becomes <c>sslmode=require</c>, any other
    /// requiressl value <c>sslmode=prefer</c>; every other keyword is kept as it is.
    /// </summary>
    public static (string Keyword, string Value) Canonicalize(string keyword, string value) =>
        string.Equals(keyword, RequireSsl, StringComparison.Ordinal)
            ? (SslMode, value.StartsWith('1') ? "require" : "prefer")
            : (keyword, value);
}

using System.Collections.Frozen;

namespace DbTls.Dialects.Npgsql;

/// <summary>
/// Npgsql 10's connection-string keywords. NpgsqlConnectionStringBuilder looks every key up upper-cased
/// (invariant) among each property's display name, its property name and its synonyms, so "SSL Mode",
/// "sslmode" and "SslMode" are one keyword; an unknown key is an error when the string is parsed.
/// </summary>
internal static class NpgsqlKeywords
{
    public const string Host = "Host";
    public const string Port = "Port";
    public const string Database = "Database";
    public const string Username = "Username";
    public const string Password = "Password";
    public const string Passfile = "Passfile";
    public const string ApplicationName = "Application Name";
    public const string SslMode = "SSL Mode";
    public const string SslNegotiation = "SSL Negotiation";
    public const string GssEncryptionMode = "GSS Encryption Mode";
    public const string SslCertificate = "SSL Certificate";
    public const string SslKey = "SSL Key";
    public const string SslPassword = "SSL Password";
    public const string RootCertificate = "Root Certificate";
    public const string CheckCertificateRevocation = "Check Certificate Revocation";
    public const string ChannelBinding = "Channel Binding";
    public const string Timeout = "Timeout";
    public const string TargetSessionAttributes = "Target Session Attributes";
    public const string TrustServerCertificate = "Trust Server Certificate";

    // Display name, then the property name and synonyms that also reach it (NpgsqlConnectionStringBuilder.cs, v10.0.3).
    private static readonly (string Canonical, string[] Others)[] Table =
    [
        (Host, ["Server"]),
        (Port, []),
        (Database, ["DB"]),
        (Username, ["User Name", "UserId", "User Id", "UID"]),
        (Password, ["PSW", "PWD"]),
        (Passfile, []),
        (ApplicationName, ["ApplicationName"]),
        ("Enlist", []),
        ("Search Path", ["SearchPath"]),
        ("Client Encoding", ["ClientEncoding"]),
        ("Encoding", []),
        ("Timezone", []),
        (SslMode, ["SslMode"]),
        (SslNegotiation, ["SslNegotiation"]),
        (GssEncryptionMode, ["GssEncryptionMode"]),
        (SslCertificate, ["SslCertificate"]),
        (SslKey, ["SslKey"]),
        (SslPassword, ["SslPassword"]),
        (RootCertificate, ["RootCertificate"]),
        (CheckCertificateRevocation, ["CheckCertificateRevocation"]),
        ("Kerberos Service Name", ["KerberosServiceName", "Krbsrvname"]),
        ("Include Realm", ["IncludeRealm"]),
        ("Persist Security Info", ["PersistSecurityInfo"]),
        ("Log Parameters", ["LogParameters"]),
        ("Include Error Detail", ["IncludeErrorDetail"]),
        ("Include Failed Batched Command", ["IncludeFailedBatchedCommand"]),
        (ChannelBinding, ["ChannelBinding"]),
        ("Require Auth", ["RequireAuth"]),
        ("Pooling", []),
        ("Minimum Pool Size", ["MinPoolSize"]),
        ("Maximum Pool Size", ["MaxPoolSize"]),
        ("Connection Idle Lifetime", ["ConnectionIdleLifetime"]),
        ("Connection Pruning Interval", ["ConnectionPruningInterval"]),
        ("Connection Lifetime", ["ConnectionLifetime", "Load Balance Timeout"]),
        (Timeout, []),
        ("Command Timeout", ["CommandTimeout"]),
        ("Cancellation Timeout", ["CancellationTimeout"]),
        (TargetSessionAttributes, ["TargetSessionAttributes"]),
        ("Load Balance Hosts", ["LoadBalanceHosts"]),
        ("Host Recheck Seconds", ["HostRecheckSeconds"]),
        ("Keepalive", ["KeepAlive"]),
        ("TCP Keepalive", ["TcpKeepAlive"]),
        ("TCP Keepalive Time", ["TcpKeepAliveTime"]),
        ("TCP Keepalive Interval", ["TcpKeepAliveInterval"]),
        ("Read Buffer Size", ["ReadBufferSize"]),
        ("Write Buffer Size", ["WriteBufferSize"]),
        ("Socket Receive Buffer Size", ["SocketReceiveBufferSize"]),
        ("Socket Send Buffer Size", ["SocketSendBufferSize"]),
        ("Max Auto Prepare", ["MaxAutoPrepare"]),
        ("Auto Prepare Min Usages", ["AutoPrepareMinUsages"]),
        ("No Reset On Close", ["NoResetOnClose"]),
        ("Replication Mode", ["ReplicationMode"]),
        ("Options", []),
        ("Array Nullability Mode", ["ArrayNullabilityMode"]),
        ("Multiplexing", []),
        ("Write Coalescing Buffer Threshold Bytes", ["WriteCoalescingBufferThresholdBytes"]),
        ("Load Table Composites", ["LoadTableComposites"]),
        ("Server Compatibility Mode", ["ServerCompatibilityMode"]),
        (TrustServerCertificate, ["TrustServerCertificate"]),
        ("Internal Command Timeout", ["InternalCommandTimeout"]),
    ];

    private static readonly FrozenDictionary<string, string> ByUpperKey = Table
        .SelectMany(e => e.Others.Prepend(e.Canonical).Select(k => (Key: k.ToUpperInvariant(), e.Canonical)))

        // A property name that only differs from its display name in case (Keepalive / KeepAlive) is one key.
        .DistinctBy(e => e.Key)
        .ToFrozenDictionary(e => e.Key, e => e.Canonical, StringComparer.Ordinal);

    /// <summary>The keyword's display name (e.g. <c>SSL Mode</c> for <c>sslmode</c>), or null when Npgsql does not know it.</summary>
    public static string? Canonical(string key) => ByUpperKey.GetValueOrDefault(key.Trim().ToUpperInvariant());

    public static IEnumerable<string> All => Table.Select(e => e.Canonical);

    public static bool IsSecret(string canonical) => canonical is Password or SslPassword;
}

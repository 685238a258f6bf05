using DbTls.Checks;
using DbTls.Policy;

namespace DbTls.Cli.Dialects;

/// <summary>Settings given on the command line or in DBTLS_* variables; they win over the connection string.</summary>
/// <param name="User">From <c>--user</c>.</param>
/// <param name="Password">From <c>DBTLS_PASSWORD</c>.</param>
internal sealed record CheckOverrides(string? User, Secret? Password)
{
    public static CheckOverrides None { get; } = new(null, null);
}

/// <summary>One <c>dbtls check</c> as a dialect runner sees it.</summary>
internal sealed record CheckRequest(
    string ConnectionString,
    ConnectionStringDialect Dialect,
    CheckOverrides Overrides,
    CheckOptions Options,
    CliHost Host)
{
    /// <summary>From <c>--dns-server</c>: the DNS server mongodb+srv:// lookups ask; null asks the system's.</summary>
    public System.Net.IPEndPoint? DnsServer { get; init; }
}

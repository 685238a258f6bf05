using DbTls.Cli.Rendering;

namespace DbTls.Cli.Commands;

/// <summary>The parsed options of one <c>dbtls check</c>.</summary>
internal sealed record CheckInvocation(
    string ConnectionString,
    OutputFormat Format,
    TimeSpan? Timeout,
    string? User,
    bool Verbose)
{
    /// <summary>From <c>--dns-server</c>; null asks the system's DNS server.</summary>
    public System.Net.IPEndPoint? DnsServer { get; init; }

    /// <summary>From <c>--dialect</c>; null detects the dialect from the string.</summary>
    public string? Dialect { get; init; }

    /// <summary>From <c>--fail-on</c> and <c>--require</c>; empty keeps the default exit codes.</summary>
    public DbTls.Gates.Gate Gate { get; init; } = DbTls.Gates.Gate.None;

    /// <summary>From <c>--option KEY=VALUE</c> (PyMongo keyword arguments), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Options { get; init; } = [];
    /// <summary>From <c>--save-chain</c>: where to write the presented chain as PEM; null writes nothing.</summary>
    public string? SaveChain { get; init; }
}

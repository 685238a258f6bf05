using DbTls.Gates;

namespace DbTls.Cli.Commands;

/// <summary>The parsed options of a <c>dbtls check</c> that runs through the fleet path (an inventory, or ndjson/sarif/junit).</summary>
internal sealed record FleetInvocation(string Format, Gate Gate)
{
    /// <summary>From <c>--targets</c>; null checks <see cref="ConnectionString"/> alone.</summary>
    public string? TargetsFile { get; init; }

    public string? ConnectionString { get; init; }

    public string? Dialect { get; init; }

    public string? User { get; init; }

    public TimeSpan? Timeout { get; init; }

    public int Concurrency { get; init; } = DbTls.Fleet.FleetOptions.DefaultConcurrency;

    public TimeSpan? Deadline { get; init; }

    public string? ResumeFile { get; init; }

    public System.Net.IPEndPoint? DnsServer { get; init; }

    /// <summary><c>--option KEY=VALUE</c> for every target; a target's own options (JSON inventory) win over them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Options { get; init; } = [];
}

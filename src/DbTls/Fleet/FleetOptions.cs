using DbTls.Dialects;
using DbTls.Gates;

namespace DbTls.Fleet;

/// <summary>How a fleet runs: how many checks at once, each one's limit, the whole run's limit, and the gate each result meets.</summary>
public sealed record FleetOptions
{
    public const int DefaultConcurrency = 8;

    public int Concurrency { get; init; } = DefaultConcurrency;

    /// <summary>Each target's time limit unless it has its own; null lets each string's own limit (or 30 s) apply.</summary>
    public TimeSpan? TargetTimeout { get; init; }

    /// <summary>The whole run's limit: targets not finished by then are reported as net.timeout.</summary>
    public TimeSpan? Deadline { get; init; }

    /// <summary>How long past its own limit a check may run before the runner abandons it.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(5);

    public Gate Gate { get; init; } = Gate.None;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The dialects that redact a target's string in the report of a check that never ran (deadline, abandoned).</summary>
    public DialectRegistry Dialects { get; init; } = DialectRegistry.Default;
}

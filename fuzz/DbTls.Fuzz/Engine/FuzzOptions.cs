namespace DbTls.Fuzz.Engine;

/// <summary>How long and how hard one run goes; parsed from the command line by Program.</summary>
internal sealed record FuzzOptions
{
    /// <summary>Inputs per target (seeds included); null means run for <see cref="Seconds"/>.</summary>
    public long? Inputs { get; init; }

    /// <summary>Wall-clock seconds per target when <see cref="Inputs"/> is null.</summary>
    public double Seconds { get; init; } = 10;

    /// <summary>The run's seed; each target mixes in its name, so one seed reproduces the whole run.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The per-input time limit after which the input counts as a hang.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Bytes one input may make the process allocate before it counts as unbounded allocation.</summary>
    public long MaxAllocationBytes { get; init; } = 100L * 1024 * 1024;

    public required string CorpusRoot { get; init; }

    public required string CrashRoot { get; init; }
}

namespace DbTls.Fleet;

/// <summary>A snapshot of a running fleet for a progress line: counts, and the target that has been running longest.</summary>
public sealed record FleetProgress(int Total, int Done, int Failed, int Running, string? Slowest, TimeSpan SlowestElapsed)
{
    public int Remaining => Total - Done;
}

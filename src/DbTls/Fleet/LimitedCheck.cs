using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Reports;

namespace DbTls.Fleet;

/// <summary>
/// Runs one target under its time limit plus a grace period, for every host that runs many checks (the fleet runner,
/// the exporter): a check that overruns, or that <c>limit</c> cancels, becomes a net.timeout report.
/// Only <c>cancellationToken</c> (the caller's own) throws.
/// </summary>
public static class LimitedCheck
{
    public static async Task<CheckReport> RunAsync(
        TargetRunner runner,
        FleetTarget target,
        TimeSpan? timeout,
        TimeSpan grace,
        DialectRegistry dialects,
        CancellationToken limit,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(dialects);
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(limit, cancellationToken);
        if (timeout is { } own)
        {
            // The check enforces its limit itself; this backstop keeps a hostile or silent target from holding a worker.
            watchdog.CancelAfter(own + grace);
        }

        try
        {
            return await runner(target, timeout, watchdog.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TimedOut(target, dialects, limit.IsCancellationRequested
                ? "The check did not finish before the run's --deadline."
                : "The check did not finish within its time limit.");
        }
    }

    /// <summary>The report of a target whose check did not finish (or start) in time, its string redacted by its dialect.</summary>
    public static CheckReport TimedOut(FleetTarget target, DialectRegistry dialects, string message)
    {
        ArgumentNullException.ThrowIfNull(target);
        return ConnectionCheck.Refused(target.DialectIn(dialects), target.ConnectionString, FindingCatalog.Create(FindingCodes.NetTimeout, message));
    }
}

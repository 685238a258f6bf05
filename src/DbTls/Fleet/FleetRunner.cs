using System.Diagnostics;

namespace DbTls.Fleet;

/// <summary>
/// Runs a <see cref="TargetRunner"/> over an inventory, <see cref="FleetOptions.Concurrency"/> at a time, and hands
/// each result to the caller as it finishes. Every target ends with a report: one that overran its limit, or that the
/// deadline caught, is reported as net.timeout; only the caller's own cancellation throws.
/// </summary>
public sealed class FleetRunner
{
    private readonly FleetOptions _options;
    private readonly TargetRunner _runner;
    private readonly FleetScheduler<FleetResult> _scheduler;

    public FleetRunner(IReadOnlyList<FleetTarget> targets, FleetOptions options, TargetRunner runner)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runner);
        _options = options;
        _runner = runner;
        _scheduler = new FleetScheduler<FleetResult>(targets, options.Concurrency, options.Time);
    }

    /// <summary>Where the run stands now; safe to call from any thread while it runs.</summary>
    public FleetProgress Progress => _scheduler.Progress;

    /// <summary>Runs every target; <paramref name="onResult"/> is called once per target, never concurrently.</summary>
    public Task RunAsync(Func<FleetResult, ValueTask> onResult, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onResult);
        return _scheduler.RunAsync(_options.Deadline, CheckAsync, r => r.Passed, onResult, cancellationToken);
    }

    private async Task<FleetResult> CheckAsync(FleetTarget target, CancellationToken deadline, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var report = deadline.IsCancellationRequested
            ? LimitedCheck.TimedOut(target, _options.Dialects, "The check was not started before the run's --deadline.")
            : await LimitedCheck.RunAsync(_runner, target, target.Timeout ?? _options.TargetTimeout, _options.Grace, _options.Dialects, deadline, cancellationToken).ConfigureAwait(false);

        var gate = _options.Gate.Evaluate(report, _options.Time.GetUtcNow());
        return new FleetResult(target, report, gate, Stopwatch.GetElapsedTime(started));
    }
}

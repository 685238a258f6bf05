using System.Diagnostics;
using DbTls.Tls.Trust;

namespace DbTls.Fleet;

/// <summary>
/// Runs a <see cref="TargetRunner"/> over an inventory, <see cref="FleetOptions.Concurrency"/> at a time, and hands
/// each result to the caller as it finishes. Every target ends with a report: one that overran its limit, or that the
/// deadline caught, is reported as net.timeout; only the caller's own cancellation throws.
/// </summary>
public sealed class FleetRunner
{
    private readonly IReadOnlyList<FleetTarget> _targets;
    private readonly FleetOptions _options;
    private readonly TargetRunner _runner;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _running = new(StringComparer.Ordinal);
    private int _next = -1;
    private int _done;
    private int _failed;

    public FleetRunner(IReadOnlyList<FleetTarget> targets, FleetOptions options, TargetRunner runner)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1);
        _targets = targets;
        _options = options;
        _runner = runner;
    }

    /// <summary>Where the run stands now; safe to call from any thread while it runs.</summary>
    public FleetProgress Progress
    {
        get
        {
            lock (_gate)
            {
                var now = _options.Time.GetTimestamp();
                var slowest = _running.OrderBy(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).FirstOrDefault();
                return new FleetProgress(
                    _targets.Count,
                    _done,
                    _failed,
                    _running.Count,
                    slowest.Key,
                    slowest.Key is null ? TimeSpan.Zero : _options.Time.GetElapsedTime(slowest.Value, now));
            }
        }
    }

    /// <summary>Runs every target; <paramref name="onResult"/> is called once per target, never concurrently.</summary>
    public async Task RunAsync(Func<FleetResult, ValueTask> onResult, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onResult);

        // A fleet makes many checks in one process, so the one-check shortcut that empties the system trust store for
        // the rest of the process (SystemTrustStore) must not be taken: a later target may trust the system store.
        AppContext.SetSwitch(SystemTrustStore.OneCheckPerProcessSwitch, false);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.Deadline is { } limit)
        {
            deadline.CancelAfter(limit);
        }

        using var deliver = new SemaphoreSlim(1, 1);
        var workers = Enumerable.Range(0, Math.Min(_options.Concurrency, Math.Max(_targets.Count, 1)))
            .Select(_ => Task.Run(() => WorkAsync(onResult, deliver, deadline.Token, cancellationToken), CancellationToken.None))
            .ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task WorkAsync(Func<FleetResult, ValueTask> onResult, SemaphoreSlim deliver, CancellationToken deadline, CancellationToken cancellationToken)
    {
        int index;
        while ((index = Interlocked.Increment(ref _next)) < _targets.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = _targets[index];
            var result = await CheckAsync(target, deadline, cancellationToken).ConfigureAwait(false);
            await deliver.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                lock (_gate)
                {
                    _running.Remove(target.Name);
                    _done++;
                    _failed += result.Passed ? 0 : 1;
                }

                await onResult(result).ConfigureAwait(false);
            }
            finally
            {
                deliver.Release();
            }
        }
    }

    private async Task<FleetResult> CheckAsync(FleetTarget target, CancellationToken deadline, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _running[target.Name] = _options.Time.GetTimestamp();
        }

        var report = deadline.IsCancellationRequested
            ? LimitedCheck.TimedOut(target, _options.Dialects, "The check was not started before the run's --deadline.")
            : await LimitedCheck.RunAsync(_runner, target, target.Timeout ?? _options.TargetTimeout, _options.Grace, _options.Dialects, deadline, cancellationToken).ConfigureAwait(false);

        var gate = _options.Gate.Evaluate(report, _options.Time.GetUtcNow());
        return new FleetResult(target, report, gate, Stopwatch.GetElapsedTime(started));
    }
}

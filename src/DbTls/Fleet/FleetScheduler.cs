using DbTls.Tls.Trust;

namespace DbTls.Fleet;

/// <summary>
/// The part of a fleet run that does not care what a target's work is (a check, a scan): N workers taking targets in
/// inventory order under one overall deadline, results handed over one at a time, and a progress snapshot.
/// </summary>
internal sealed class FleetScheduler<TResult>
{
    private readonly IReadOnlyList<FleetTarget> _targets;
    private readonly int _concurrency;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _running = new(StringComparer.Ordinal);
    private int _next = -1;
    private int _done;
    private int _failed;

    public FleetScheduler(IReadOnlyList<FleetTarget> targets, int concurrency, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        _targets = targets;
        _concurrency = concurrency;
        _time = time;
    }

    public FleetProgress Progress
    {
        get
        {
            lock (_gate)
            {
                var now = _time.GetTimestamp();
                var slowest = _running.OrderBy(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).FirstOrDefault();
                return new FleetProgress(
                    _targets.Count,
                    _done,
                    _failed,
                    _running.Count,
                    slowest.Key,
                    slowest.Key is null ? TimeSpan.Zero : _time.GetElapsedTime(slowest.Value, now));
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> for every target (its first token is the run's deadline, its second the caller's
    /// own cancellation); <paramref name="onResult"/> is called once per target, never concurrently.
    /// </summary>
    public async Task RunAsync(
        TimeSpan? deadline,
        Func<FleetTarget, CancellationToken, CancellationToken, Task<TResult>> work,
        Func<TResult, bool> passed,
        Func<TResult, ValueTask> onResult,
        CancellationToken cancellationToken)
    {
        // A fleet makes many connections in one process, so the one-check shortcut that empties the system trust store
        // for the rest of the process (SystemTrustStore) must not be taken: a later target may trust the system store.
        AppContext.SetSwitch(SystemTrustStore.OneCheckPerProcessSwitch, false);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (deadline is { } span)
        {
            limit.CancelAfter(span);
        }

        using var deliver = new SemaphoreSlim(1, 1);
        var workers = Enumerable.Range(0, Math.Min(_concurrency, Math.Max(_targets.Count, 1)))
            .Select(_ => Task.Run(() => WorkAsync(work, passed, onResult, deliver, limit.Token, cancellationToken), CancellationToken.None))
            .ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task WorkAsync(
        Func<FleetTarget, CancellationToken, CancellationToken, Task<TResult>> work,
        Func<TResult, bool> passed,
        Func<TResult, ValueTask> onResult,
        SemaphoreSlim deliver,
        CancellationToken deadline,
        CancellationToken cancellationToken)
    {
        int index;
        while ((index = Interlocked.Increment(ref _next)) < _targets.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = _targets[index];
            lock (_gate)
            {
                _running[target.Name] = _time.GetTimestamp();
            }

            var result = await work(target, deadline, cancellationToken).ConfigureAwait(false);
            await deliver.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                lock (_gate)
                {
                    _running.Remove(target.Name);
                    _done++;
                    _failed += passed(result) ? 0 : 1;
                }

                await onResult(result).ConfigureAwait(false);
            }
            finally
            {
                deliver.Release();
            }
        }
    }
}

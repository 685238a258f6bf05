using System.Diagnostics;
using System.Runtime.CompilerServices;
using DbTls.Scan.Probe;
using DbTls.Transports;

namespace DbTls.Scan;

/// <summary>
/// One scan's shared state: the target, the way in, the concurrency bound, the connection count, the time limits
/// that adapt to how fast the server answers, and one connection of the main path opened ahead.
/// </summary>
internal sealed class ScanSession(ScanTarget target, ScanProtocol protocol, ScanOptions options, bool openAhead = true) : IAsyncDisposable
{
    /// <summary>
    /// The least a probe waits for an answer once the ClientHello is out. Above it the wait is ten times the slowest
    /// connect-plus-way-in or answer seen so far, so a silent server costs a second and a half, not the full
    /// <see cref="ScanOptions.ProbeTimeout"/>, while a slow link or a loaded server gets more. Half a second was
    /// measured too short: a server on a loaded 2-core host (a test suite running beside it) answered a first
    /// ClientHello after more than 0.5 s, before any round trip had been seen to raise the wait.
    /// </summary>
    private static readonly TimeSpan MinimumAnswerWait = TimeSpan.FromMilliseconds(1500);

    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Concurrency));

    /// <summary>
    /// How many of the slots background work (facts, versions below TLS 1.2) may hold at once: the rest stay for the
    /// chains of probes. Measured: with six slots for all, the three chains of PostgreSQL 18's TLS 1.2
    /// waited 22 ms at the start behind the refused old versions and the facts.
    /// </summary>
    private readonly SemaphoreSlim _background = new(Math.Max(1, options.Concurrency - SuiteChains.MaxChains));
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<SslRequestAnswer?> _firstAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<Task<ProbeChannel>> _spares = new();
    private int _chains;
    private bool _disposed;
    private int _connections;
    private long _slowestTicks;

    public ScanTarget Target { get; } = target;

    public ScanProtocol Protocol { get; } = protocol;

    public ScanOptions Options { get; } = options;

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>
    /// The SSLRequest answer of the first connection through the main path that got one, which is the server's
    /// answer to an SSLRequest (the fact costs no connection of its own); null when that way in failed, or the
    /// main path sends no SSLRequest.
    /// </summary>
    public Task<SslRequestAnswer?> FirstSslRequestAnswer => _firstAnswer.Task;

    /// <summary>Where the wall time went, when <see cref="ScanOptions.Trace"/> asks for it (see <see cref="ScanTrace"/>).</summary>
    public ScanTrace? Trace { get; init; }

    /// <summary>How long the next probe waits for an answer (see <see cref="MinimumAnswerWait"/>).</summary>
    public TimeSpan AnswerWait
    {
        get
        {
            var adaptive = TimeSpan.FromTicks(Math.Max(MinimumAnswerWait.Ticks, 10 * Volatile.Read(ref _slowestTicks)));
            return adaptive < Options.ProbeTimeout ? adaptive : Options.ProbeTimeout;
        }
    }

    /// <summary>A spec for this target and path: SNI, the path's ALPN, the given offer.</summary>
    public ClientHelloSpec Spec(ushort version, IEnumerable<ushort> suites) => new()
    {
        Version = version,
        Suites = suites.ToArray(),
        ServerName = Target.ServerName,
        Alpn = ScanEntry.Alpn(Protocol),
    };

    /// <param name="urgent">A step of a chain of probes that wait on each other (suites, groups, the first offer of a
    /// version that starts such chains), which make the scan's longest path: it never waits behind background work
    /// (facts, refused old versions) for a slot (see <see cref="_background"/>).</param>
    public Task<ProbeReply> ProbeAsync(ClientHelloSpec spec, CancellationToken cancellationToken, bool urgent = false) =>
        ProbeAsync(Protocol, spec, cancellationToken, urgent);

    public Task<ProbeReply> ProbeAsync(ScanProtocol path, ClientHelloSpec spec, CancellationToken cancellationToken, bool urgent = false) =>
        Trace is null
            ? WithSlotAsync(ct => TlsProbe.RunAsync(open => OpenAsync(path, open), path, spec, Limits, Observe, ct), urgent, cancellationToken, count: false)
            : TracedProbeAsync(Trace, path, spec, urgent, cancellationToken);

    private ProbeLimits Limits => new(Options.ProbeTimeout, AnswerWait);

    private async Task<ProbeReply> TracedProbeAsync(ScanTrace trace, ScanProtocol path, ClientHelloSpec spec, bool urgent, CancellationToken cancellationToken)
    {
        var asked = trace.Now;
        double slot = double.NaN, open = double.NaN;
        var reply = await WithSlotAsync(
            ct =>
            {
                slot = trace.Now;
                return TlsProbe.RunAsync(
                    async o =>
                    {
                        var channel = await OpenAsync(path, o).ConfigureAwait(false);
                        open = trace.Now;
                        return channel;
                    },
                    path, spec, Limits, Observe, ct);
            },
            urgent,
            cancellationToken,
            count: false).ConfigureAwait(false);
        var answer = reply.Accepted ? $"{TlsVersions.Name(reply.Version)} {CipherSuite.Of(reply.Suite).Name}{(reply.Group is { } g ? $" group 0x{g:X4}" : "")}" : reply.Kind.ToString();
        trace.Add($"{(urgent ? "! " : "")}{ScanProtocols.Name(path)} {TlsVersions.Name(spec.Version)} offering {spec.Suites.Count} suite(s), {spec.Groups.Count} group(s): {answer}", asked, slot, open, trace.Now);
        return reply;
    }

    /// <summary>Runs one connection-opening step inside the concurrency bound; <paramref name="count"/>: count it here.</summary>
    private async Task<T> WithSlotAsync<T>(Func<CancellationToken, Task<T>> step, bool urgent, CancellationToken cancellationToken, bool count = true)
    {
        if (!urgent)
        {
            await _background.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (count)
                {
                    Interlocked.Increment(ref _connections);
                }

                return await step(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            if (!urgent)
            {
                _background.Release();
            }
        }
    }

    /// <summary>A pre-TLS fact step with the probe time limit; null when the server did not answer in time or the way failed.</summary>
    public async Task<T?> FactAsync<T>(Func<ScanTarget, CancellationToken, Task<T>> step, CancellationToken cancellationToken, bool urgent = false, [CallerArgumentExpression(nameof(step))] string what = "")
    {
        var asked = Trace?.Now ?? 0;
        var slot = double.NaN;
        var fact = await WithSlotAsync<T?>(
            async ct =>
            {
                slot = Trace?.Now ?? 0;
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
                deadline.CancelAfter(Options.ProbeTimeout);
                try
                {
                    return await step(Target, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    return default;
                }
                catch (ScanEntryException)
                {
                    return default;
                }
            },
            urgent,
            cancellationToken).ConfigureAwait(false);
        Trace?.Add($"fact {what}: {(fact is null ? "no answer" : fact)}", asked, slot, double.NaN, Trace.Now);
        return fact;
    }

    /// <summary>
    /// Elimination chains running side by side (<see cref="SuiteChains"/>) each want a connection opened ahead; while
    /// none runs one is kept. Counted by the chains themselves, so that the last probes of a scan (seams, order)
    /// use up what was opened for the chains instead of opening more.
    /// </summary>
    public void ChainStarted() => Interlocked.Increment(ref _chains);

    public void ChainEnded() => Interlocked.Decrement(ref _chains);

    /// <summary>
    /// The connection for a probe. On the main path the way in (TCP connect, SSLRequest or PRELOGIN, and the
    /// server's process start behind them) is taken off the critical path: each probe takes the oldest connection
    /// opened ahead and opens the next ones, so elimination chains wait only for ClientHello to ServerHello. At most
    /// one connection per running chain (<see cref="ChainStarted"/>, at least one) is opened ahead; those left at the
    /// end are closed unused.
    /// </summary>
    private async Task<ProbeChannel> OpenAsync(ScanProtocol path, CancellationToken cancellationToken)
    {
        Task<ProbeChannel>? spare = null;
        if (openAhead && path == Protocol)
        {
            var wanted = Math.Clamp(Volatile.Read(ref _chains), 1, SuiteChains.MaxChains);
            lock (_gate)
            {
                _spares.TryDequeue(out spare);
                while (!_disposed && _spares.Count < wanted)
                {
                    _spares.Enqueue(TimedOpenAsync(path, _lifetime.Token));
                }
            }
        }

        return spare is null
            ? await TimedOpenAsync(path, cancellationToken).ConfigureAwait(false)
            : await TakeAsync(spare, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ProbeChannel> TimedOpenAsync(ScanProtocol path, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _connections);
        var clock = Stopwatch.StartNew();
        ProbeChannel channel;
        try
        {
            channel = await ScanEntry.OpenAsync(Target, path, cancellationToken).ConfigureAwait(false);
        }
        catch when (path == Protocol)
        {
            _firstAnswer.TrySetResult(null);
            throw;
        }

        Observe(clock.Elapsed);
        if (path == Protocol)
        {
            _firstAnswer.TrySetResult(channel.SslRequestAnswer);
        }

        return channel;
    }

    private void Observe(TimeSpan elapsed)
    {
        long slowest;
        do
        {
            slowest = Volatile.Read(ref _slowestTicks);
            if (elapsed.Ticks <= slowest)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _slowestTicks, elapsed.Ticks, slowest) != slowest);
    }

    /// <summary>A connection opened ahead that its probe gave up waiting for is closed when it arrives.</summary>
    private static async Task<ProbeChannel> TakeAsync(Task<ProbeChannel> spare, CancellationToken cancellationToken)
    {
        try
        {
            return await spare.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _ = spare.ContinueWith(
                static t => t.IsCompletedSuccessfully ? t.Result.DisposeAsync().AsTask() : Task.FromResult(t.Exception),
                CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<ProbeChannel>[] spares;
        lock (_gate)
        {
            _disposed = true;
            spares = [.. _spares];
            _spares.Clear();
        }

        _firstAnswer.TrySetResult(null);
        await _lifetime.CancelAsync().ConfigureAwait(false);
        foreach (var spare in spares)
        {
            try
            {
                await (await spare.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ScanEntryException or IOException or System.Net.Sockets.SocketException)
            {
                // The connection opened ahead failed or was cancelled: nothing to close.
            }
        }

        _lifetime.Dispose();
        _slots.Dispose();
        _background.Dispose();
    }
}

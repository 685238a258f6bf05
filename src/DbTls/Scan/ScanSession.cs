using DbTls.Scan.Probe;

namespace DbTls.Scan;

/// <summary>One scan's shared state: the target, the way in, the concurrency bound and the connection count.</summary>
internal sealed class ScanSession(ScanTarget target, ScanProtocol protocol, ScanOptions options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Concurrency));
    private int _connections;

    public ScanTarget Target { get; } = target;

    public ScanProtocol Protocol { get; } = protocol;

    public ScanOptions Options { get; } = options;

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>A spec for this target and path: SNI, the path's ALPN, the given offer.</summary>
    public ClientHelloSpec Spec(ushort version, IEnumerable<ushort> suites) => new()
    {
        Version = version,
        Suites = suites.ToArray(),
        ServerName = Target.ServerName,
        Alpn = ScanEntry.Alpn(Protocol),
    };

    public Task<ProbeReply> ProbeAsync(ClientHelloSpec spec, CancellationToken cancellationToken) =>
        ProbeAsync(Protocol, spec, cancellationToken);

    public Task<ProbeReply> ProbeAsync(ScanProtocol path, ClientHelloSpec spec, CancellationToken cancellationToken) =>
        WithSlotAsync(ct => TlsProbe.RunAsync(Target, path, spec, Options.ProbeTimeout, ct), cancellationToken);

    /// <summary>Runs one connection-opening step inside the concurrency bound and counts it.</summary>
    public async Task<T> WithSlotAsync<T>(Func<CancellationToken, Task<T>> step, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _connections);
            return await step(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>A pre-TLS fact step with the probe time limit; null when the server did not answer in time or the way failed.</summary>
    public Task<T?> FactAsync<T>(Func<ScanTarget, CancellationToken, Task<T>> step, CancellationToken cancellationToken) =>
        WithSlotAsync<T?>(async ct =>
        {
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
        }, cancellationToken);

    public void Dispose() => _slots.Dispose();
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DbTls.Dialects;
using DbTls.Fleet;
using DbTls.Tls.Trust;

namespace DbTls.Export;

/// <summary>
/// <c>dbtls exporter</c>: a small HTTP/1.1 server (plain sockets, no framework, so it compiles ahead of time) in the
/// blackbox_exporter style. <c>GET /probe?target=NAME</c> checks that inventory target now and answers its metrics;
/// <c>GET /metrics</c> answers the exporter's own counters and the last probe of every target. One request per
/// connection; requests are read with a size and time limit, so a slow or hostile client holds nothing for long.
/// </summary>
public sealed class ExporterServer : IAsyncDisposable
{
    private const int MaxRequestBytes = 8192;
    private static readonly TimeSpan RequestReadLimit = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, FleetTarget> _targets;
    private readonly TargetRunner _runner;
    private readonly TimeSpan? _timeout;
    private readonly TimeSpan _grace;
    private readonly SemaphoreSlim _probes;
    private readonly ConcurrentDictionary<string, ProbeResult> _latest = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private Task _accept = Task.CompletedTask;
    private long _succeeded;
    private long _failed;

    public ExporterServer(IReadOnlyList<FleetTarget> targets, TargetRunner runner, TimeSpan? timeout = null, int maxConcurrentProbes = FleetOptions.DefaultConcurrency)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(runner);
        _targets = targets.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _runner = runner;
        _timeout = timeout;
        _grace = TimeSpan.FromSeconds(5);
        _probes = new SemaphoreSlim(maxConcurrentProbes, maxConcurrentProbes);

        // Many checks in one long-lived process: the one-check shortcut over the system trust store must stay off.
        AppContext.SetSwitch(SystemTrustStore.OneCheckPerProcessSwitch, false);
    }

    public IPEndPoint EndPoint => (IPEndPoint)(_listener ?? throw new InvalidOperationException("not started")).LocalEndpoint;

    /// <summary>Binds <paramref name="listen"/> (port 0 picks one) and starts answering.</summary>
    public void Start(IPEndPoint listen)
    {
        _listener = new TcpListener(listen);
        _listener.Start();
        _accept = AcceptAsync(_listener, _stop.Token);
    }

    /// <summary>Completes when the server stops (<paramref name="cancellationToken"/> or disposal).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() => _stop.Cancel());
        await _accept.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        await _accept.ConfigureAwait(false);
        _stop.Dispose();
        _probes.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stopping)
    {
        var clients = new List<Task>();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stopping).ConfigureAwait(false);
                clients.RemoveAll(t => t.IsCompleted);
                clients.Add(Task.Run(() => ServeAsync(client, stopping), CancellationToken.None));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }

        listener.Stop();
        await Task.WhenAll(clients).ConfigureAwait(false);
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stopping)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var read = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                read.CancelAfter(RequestReadLimit);
                var target = await ExporterHttp.ReadRequestTargetAsync(stream, MaxRequestBytes, read.Token).ConfigureAwait(false);
                var (status, contentType, body) = target is null
                    ? (400, "text/plain; charset=utf-8", "bad request\n")
                    : await RouteAsync(target, stopping).ConfigureAwait(false);
                await ExporterHttp.WriteResponseAsync(stream, status, contentType, body, stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away, was too slow, or the server is stopping: nothing to answer.
            }
        }
    }

    private async Task<(int Status, string ContentType, string Body)> RouteAsync(string requestTarget, CancellationToken stopping)
    {
        var (path, query) = ExporterHttp.SplitTarget(requestTarget);
        switch (path)
        {
            case "/probe":
                if (!query.TryGetValue("target", out var name) || !_targets.TryGetValue(name, out var target))
                {
                    return (404, "text/plain; charset=utf-8", "unknown target: give ?target= one of the inventory's names (see /)\n");
                }

                var probe = await ProbeAsync(target, stopping).ConfigureAwait(false);
                var text = new PrometheusText();
                ProbeMetrics.Write(text, [probe]);
                return (200, PrometheusText.ContentType, text.ToString());
            case "/metrics":
                return (200, PrometheusText.ContentType, Metrics());
            case "/":
                var index = new StringBuilder("dbtls exporter\n\n/metrics  exporter counters and the last probe of every target\n/probe?target=NAME  check one target now\n\ntargets:\n");
                foreach (var known in _targets.Keys.Order(StringComparer.Ordinal))
                {
                    index.Append("  ").Append(known).Append('\n');
                }

                return (200, "text/plain; charset=utf-8", index.ToString());
            default:
                return (404, "text/plain; charset=utf-8", "not found\n");
        }
    }

    private async Task<ProbeResult> ProbeAsync(FleetTarget target, CancellationToken stopping)
    {
        await _probes.WaitAsync(stopping).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var report = await LimitedCheck.RunAsync(_runner, target, target.Timeout ?? _timeout, _grace, DialectRegistry.Default, CancellationToken.None, stopping)
                .ConfigureAwait(false);
            var probe = new ProbeResult(target.Name, report, Stopwatch.GetElapsedTime(started));
            _latest[target.Name] = probe;
            Interlocked.Increment(ref report.ExitCode == 0 ? ref _succeeded : ref _failed);
            return probe;
        }
        finally
        {
            _probes.Release();
        }
    }

    private string Metrics()
    {
        var text = new PrometheusText();
        text.Family("dbtls_exporter_probes_total", "counter", "Probes answered since the exporter started, by result.")
            .Sample(Interlocked.Read(ref _succeeded), ("result", "success"))
            .Sample(Interlocked.Read(ref _failed), ("result", "failure"));
        text.Family("dbtls_exporter_targets", "gauge", "Targets in the exporter's inventory.").Sample(_targets.Count);
        ProbeMetrics.Write(text, [.. _latest.Values.OrderBy(p => p.Target, StringComparer.Ordinal)]);
        return text.ToString();
    }
}

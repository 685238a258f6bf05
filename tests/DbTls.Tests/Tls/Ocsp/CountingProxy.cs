using System.Net;
using System.Net.Sockets;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Tls.Ocsp;

/// <summary>
/// A loopback TCP proxy in front of the OCSP responder. Certificates name the proxy's URL, so the
/// responder can be started after them, stopped ("responder down": connections are accepted and closed
/// at once) and every request that reaches it is counted.
/// </summary>
internal sealed class CountingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    public CountingProxy()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    /// <summary>Where connections go; null makes the responder unreachable.</summary>
    public int? BackendPort { get; set; }

    /// <summary>When set, connections are held open without an answer (a responder that hangs).</summary>
    public bool Silent { get; set; }

    public int Connections => Volatile.Read(ref _connections);

    private Task AcceptAsync() =>
        TcpAcceptLoop.RunAsync(_listener, ServeAsync, () => Interlocked.Increment(ref _connections), _stop.Token);

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                if (Silent)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                if (BackendPort is not { } port)
                {
                    return;
                }

                using var backend = new TcpClient();
                await backend.ConnectAsync(IPAddress.Loopback, port, _stop.Token);
                var up = client.GetStream().CopyToAsync(backend.GetStream(), _stop.Token);
                var down = backend.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
                await Task.WhenAny(up, down);
                await down.WaitAsync(TimeSpan.FromSeconds(5), _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or TimeoutException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}

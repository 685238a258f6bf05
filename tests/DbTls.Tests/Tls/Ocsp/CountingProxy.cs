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
    private readonly LoopbackListener _listener;

    public CountingProxy()
    {
        _listener = new LoopbackListener(ServeAsync);
    }

    public int Port => _listener.Port;

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    /// <summary>Where connections go; null makes the responder unreachable.</summary>
    public int? BackendPort { get; set; }

    /// <summary>When set, connections are held open without an answer (a responder that hangs).</summary>
    public bool Silent { get; set; }

    public int Connections => _listener.Accepted;

    private async Task ServeAsync(TcpClient client, CancellationToken stop)
    {
        using (client)
        {
            try
            {
                if (Silent)
                {
                    await Task.Delay(Timeout.Infinite, stop);
                }

                if (BackendPort is not { } port)
                {
                    return;
                }

                using var backend = new TcpClient();
                await backend.ConnectAsync(IPAddress.Loopback, port, stop);
                var up = client.GetStream().CopyToAsync(backend.GetStream(), stop);
                var down = backend.GetStream().CopyToAsync(client.GetStream(), stop);
                await Task.WhenAny(up, down);
                await down.WaitAsync(TimeSpan.FromSeconds(5), stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or TimeoutException)
            {
            }
        }
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}

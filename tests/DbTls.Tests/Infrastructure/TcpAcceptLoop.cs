using System.Net.Sockets;

namespace DbTls.Tests.Infrastructure;

/// <summary>The accept loop of the small loopback servers and proxies the tests run: every client is served on its own, the loop ends when stopped.</summary>
internal static class TcpAcceptLoop
{
    public static async Task RunAsync(TcpListener listener, Func<TcpClient, Task> serve, Action onAccepted, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            onAccepted();

            // Not awaited: a slow or silent connection must not hold up the next one.
            _ = serve(client);
        }
    }
}

using System.Net;
using System.Net.Sockets;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Fuzz;

/// <summary>
/// A loopback TCP proxy in front of a test server that keeps, per connection, every byte the server
/// sent to the client: the recordings the fuzz corpus is cut from.
/// </summary>
internal sealed class RecordingProxy : IAsyncDisposable
{
    private readonly int _serverPort;
    private readonly LoopbackListener _listener;

    public RecordingProxy(int serverPort)
    {
        _serverPort = serverPort;
        _listener = LoopbackListener.Start(RelayAsync);
    }

    public int Port => _listener.Port;

    /// <summary>The server-to-client bytes of every connection so far, once each has closed.</summary>
    public async Task<IReadOnlyList<byte[]>> ServerBytesAsync()
    {
        var connections = _listener.Connections;
        await Task.WhenAll(connections.Select(c => c.Handler)).WaitAsync(TimeSpan.FromSeconds(30));

        // What the proxy wrote to the client is what the server sent.
        return [.. connections.Select(c => c.Sent.ToArray())];
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    private async Task RelayAsync(LoopbackConnection client, CancellationToken stop)
    {
        using (client.Client)
        using (var server = new TcpClient())
        {
            await server.ConnectAsync(IPAddress.Loopback, _serverPort, stop);
            var toServer = PumpAsync(client.Wire, server.GetStream(), server.Client);
            var toClient = PumpAsync(server.GetStream(), client.Wire, client.Socket);
            await Task.WhenAll(toServer, toClient);
        }
    }

    private static async Task PumpAsync(Stream from, Stream to, Socket toSocket)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read));
            }

            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // One side hung up hard; the recording so far is what the client received.
            toSocket.Close();
        }
    }
}

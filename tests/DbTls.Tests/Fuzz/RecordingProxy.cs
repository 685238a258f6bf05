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
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _serverPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(MemoryStream Bytes, Task Done)> _connections = [];
    private readonly Task _loop;

    public RecordingProxy(int serverPort)
    {
        _serverPort = serverPort;
        _listener.Start();
        _loop = TcpAcceptLoop.RunAsync(_listener, ServeAsync, () => { }, _stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The server-to-client bytes of every connection so far, once each has closed.</summary>
    public async Task<IReadOnlyList<byte[]>> ServerBytesAsync()
    {
        List<(MemoryStream Bytes, Task Done)> connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections.Select(c => c.Done)).WaitAsync(TimeSpan.FromSeconds(30));
        return [.. connections.Select(c => c.Bytes.ToArray())];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }

    private Task ServeAsync(TcpClient client)
    {
        var recording = new MemoryStream();
        var done = RelayAsync(client, recording);
        lock (_connections)
        {
            _connections.Add((recording, done));
        }

        return done;
    }

    private async Task RelayAsync(TcpClient client, MemoryStream recording)
    {
        using (client)
        using (var server = new TcpClient())
        {
            await server.ConnectAsync(IPAddress.Loopback, _serverPort);
            var toServer = PumpAsync(client.GetStream(), server.GetStream(), null, server.Client);
            var toClient = PumpAsync(server.GetStream(), client.GetStream(), recording, client.Client);
            await Task.WhenAll(toServer, toClient);
        }
    }

    private static async Task PumpAsync(NetworkStream from, NetworkStream to, MemoryStream? recording, Socket toSocket)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer)) > 0)
            {
                recording?.Write(buffer, 0, read);
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

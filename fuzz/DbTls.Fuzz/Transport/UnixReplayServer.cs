using System.Net;
using System.Net.Sockets;

namespace DbTls.Fuzz.Transport;

/// <summary>
/// A server on an abstract Unix-domain socket that answers each connection with the fuzz input and
/// closes its sending side. For parsers that only run on a real socket (PostgresConnection owns its
/// Socket). Unix sockets have no TIME_WAIT, so a million connections do not exhaust anything.
/// </summary>
internal sealed class UnixReplayServer : IDisposable
{
    private readonly Socket _listener;

    public UnixReplayServer()
    {
        Endpoint = new UnixDomainSocketEndPoint($"\0dbtls-fuzz-{Environment.ProcessId}-{Guid.NewGuid():N}");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(Endpoint);
        _listener.Listen(16);
    }

    public EndPoint Endpoint { get; }

    /// <summary>Runs <paramref name="client"/> against a connection that receives <paramref name="input"/>.</summary>
    public async Task ServeAsync(byte[] input, Func<EndPoint, Task> client)
    {
        var server = AnswerAsync(input);
        try
        {
            await client(Endpoint).ConfigureAwait(false);
        }
        finally
        {
            await server.ConfigureAwait(false);
        }
    }

    public void Dispose() => _listener.Dispose();

    private async Task AnswerAsync(byte[] input)
    {
        using var socket = await _listener.AcceptAsync().ConfigureAwait(false);
        try
        {
            var send = SendAllAsync(socket, input);
            // Read what the client sends until it closes, so that it never blocks on a full buffer.
            var buffer = new byte[4096];
            while (await socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false) > 0)
            {
            }

            await send.ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // The client gave up (its verdict is what is being tested); nothing to do.
        }
    }

    private static async Task SendAllAsync(Socket socket, byte[] input)
    {
        try
        {
            var sent = 0;
            while (sent < input.Length)
            {
                sent += await socket.SendAsync(input.AsMemory(sent), SocketFlags.None).ConfigureAwait(false);
            }

            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The client closed before reading everything.
        }
    }
}

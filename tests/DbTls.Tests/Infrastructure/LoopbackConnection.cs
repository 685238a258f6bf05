using System.Net;
using System.Net.Sockets;
using DbTls.Tests.Infrastructure.Streams;

namespace DbTls.Tests.Infrastructure;

/// <summary>
/// One client connection a <see cref="LoopbackListener"/> accepted: its place in the order of arrival,
/// the socket, and <see cref="Wire"/>, the stream a server reads and writes through so that every byte
/// the client sent below TLS (<see cref="Received"/>) and every byte the server wrote (<see cref="Sent"/>)
/// is kept: the proof of what crossed the wire in clear, such as "no credential byte before TLS".
/// </summary>
internal sealed class LoopbackConnection
{
    private readonly TaskCompletionSource<Task> _handler = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lazy<RecordingStream> _wire;

    internal LoopbackConnection(TcpClient client, int index)
    {
        Client = client;
        Socket = client.Client;
        Index = index;
        RemoteEndPoint = client.Client.RemoteEndPoint as IPEndPoint;
        _wire = new(() => new RecordingStream(client.GetStream(), Received, Sent));
    }

    /// <summary>0 for the first connection accepted, 1 for the next, …</summary>
    public int Index { get; }

    public TcpClient Client { get; }

    /// <summary>The accepted socket (kept here: <see cref="TcpClient.Client"/> turns null once the client is disposed).</summary>
    public Socket Socket { get; }

    /// <summary>The client's address and port (null once the socket is gone).</summary>
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>The socket's stream, recording both directions; disposing it closes the connection.</summary>
    public RecordingStream Wire => _wire.Value;

    /// <summary>Every byte read through <see cref="Wire"/> (TLS records still encrypted).</summary>
    public ByteLog Received { get; } = new();

    /// <summary>Every byte written through <see cref="Wire"/>.</summary>
    public ByteLog Sent { get; } = new();

    /// <summary>The server's handler for this connection, as it ended (faulted when it threw).</summary>
    public Task Handler => _handler.Task.Unwrap();

    /// <summary>Completes when the server's handler for this connection has ended, however it ended.</summary>
    public Task Completion => Handler.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    /// <summary>Resets the connection (RST instead of FIN), which also ends any read or write pending on it.</summary>
    public void Reset()
    {
        try
        {
            Socket.LingerState = new LingerOption(true, 0);
            Socket.Close();
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
            // Already closed.
        }
    }

    /// <summary>Says goodbye in both directions (FIN), then closes the socket.</summary>
    public void Close()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The client is already gone.
        }

        Client.Close();
    }

    internal void Serve(Task handler) => _handler.TrySetResult(handler);
}

using System.Net;
using System.Net.Sockets;

namespace DbTls.Net;

/// <summary>
/// An open TCP (or Unix-domain) connection: the socket and the <see cref="ObservedStream"/> every protocol reads
/// and writes through, so each knows how many bytes the server sent and whether it hung up.
/// </summary>
internal sealed class NetConnection : IAsyncDisposable, IDisposable
{
    private readonly Socket _socket;

    internal NetConnection(Socket socket, EndPoint remote, IReadOnlyList<ConnectAttempt> failedBefore)
    {
        _socket = socket;
        RemoteEndPoint = remote;
        FailedBefore = failedBefore;
        Stream = new ObservedStream(new NetworkStream(socket, ownsSocket: true));
    }

    public EndPoint RemoteEndPoint { get; }

    public bool IsUnixSocket => RemoteEndPoint is UnixDomainSocketEndPoint;

    /// <summary>The address as findings show it.</summary>
    public string Description => EndpointNames.Describe(RemoteEndPoint);

    /// <summary>Addresses tried before this one that did not accept.</summary>
    public IReadOnlyList<ConnectAttempt> FailedBefore { get; }

    /// <summary>The socket's stream, counting bytes and remembering the server's end of stream.</summary>
    public ObservedStream Stream { get; }

    /// <summary>
    /// Bytes that have arrived and not been read. Before TLS starts it must be zero: anything the server sent
    /// ahead of its handshake came in clear and may have been injected (CVE-2021-23222).
    /// </summary>
    public int Available
    {
        get
        {
            try
            {
                return _socket.Available;
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
            {
                return 0;
            }
        }
    }

    /// <summary>
    /// A new connection to the same address, for a second handshake that only looks (the OCSP staple probe, see
    /// <see cref="Tls.TlsTarget.OpenProbeTransport"/>) where TLS starts on the first byte. Disposing the stream closes it.
    /// </summary>
    public async ValueTask<Stream> ConnectAgainAsync(CancellationToken cancellationToken)
    {
        var again = await TcpConnector.ConnectAsync([RemoteEndPoint], connectTimeout: null, cancellationToken).ConfigureAwait(false);
        return again.Stream;
    }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }

    public void Dispose()
    {
        Stream.Dispose();
        _socket.Dispose();
    }
}

using System.Net.Sockets;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Checks.Mongo;

/// <summary>
/// A TLS endpoint that reads the ClientHello and answers with one fatal alert, as the front ends of cloud
/// services do when they refuse a client (MongoDB Atlas answers clients outside the IP access list with
/// internal_error). No TLS library server sends such an alert on demand, so the peer writes the record
/// bytes itself; the client's TLS library parses them like any other alert.
/// </summary>
internal sealed class TlsAlertPeer : IAsyncDisposable
{
    public const byte InternalError = 80;

    private readonly LoopbackListener _listener;

    public TlsAlertPeer(byte alert)
    {
        _listener = new LoopbackListener((client, stop) => AnswerAsync(client, alert, stop));
    }

    public int Port => _listener.Port;

    /// <summary>Whether a ClientHello (handshake record, type 1) arrived.</summary>
    public bool ClientHelloSeen { get; private set; }

    private async Task AnswerAsync(TcpClient client, byte alert, CancellationToken stop)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var header = new byte[6];
            await stream.ReadExactlyAsync(header, stop);
            ClientHelloSeen = header[0] == 22 && header[5] == 1;

            // Record: alert (21), TLS 1.2 record version, length 2, level fatal (2), description.
            await stream.WriteAsync(new byte[] { 21, 3, 3, 0, 2, 2, alert }, stop);
            await stream.FlushAsync(stop);
            client.Client.Shutdown(SocketShutdown.Send);
            await Task.Delay(200, stop);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException or EndOfStreamException)
        {
            // The client hung up or the test ended.
        }
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}

using System.Net;
using System.Net.Sockets;

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

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TlsAlertPeer(byte alert)
    {
        _listener.Start();
        _loop = Task.Run(() => ServeAsync(alert));
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Whether a ClientHello (handshake record, type 1) arrived.</summary>
    public bool ClientHelloSeen { get; private set; }

    private async Task ServeAsync(byte alert)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var stream = client.GetStream();
                var header = new byte[6];
                await stream.ReadExactlyAsync(header, _stop.Token);
                ClientHelloSeen = header[0] == 22 && header[5] == 1;

                // Record: alert (21), TLS 1.2 record version, length 2, level fatal (2), description.
                await stream.WriteAsync(new byte[] { 21, 3, 3, 0, 2, 2, alert }, _stop.Token);
                await stream.FlushAsync(_stop.Token);
                client.Client.Shutdown(SocketShutdown.Send);
                await Task.Delay(200, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}

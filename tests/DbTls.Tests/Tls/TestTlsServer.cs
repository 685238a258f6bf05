using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace DbTls.Tests.Tls;

/// <summary>What the in-process server presents and demands.</summary>
internal sealed record TestServerOptions
{
    /// <summary>The server certificate with its private key.</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>Further certificates sent after the leaf (intermediates). Empty sends the leaf alone.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; init; } = [];

    public SslProtocols Protocols { get; init; } = SslProtocols.None;

    /// <summary>Send a CertificateRequest.</summary>
    public bool RequestClientCertificate { get; init; }

    /// <summary>Fail the connection when no client certificate arrives (after the handshake, as SslStream servers do).</summary>
    public bool RequireClientCertificate { get; init; }

    public IReadOnlyList<string> Alpn { get; init; } = [];

    public IPAddress Address { get; init; } = IPAddress.Loopback;
}

/// <summary>
/// An in-process TLS server (TcpListener + server-side SslStream) that records what the client did:
/// the SNI it sent, the client certificate, and how many application bytes arrived. After the
/// handshake it echoes whatever it reads, so a test can prove the session works.
/// </summary>
internal sealed class TestTlsServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly TestServerOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly SslStreamCertificateContext _context;

    private TestTlsServer(TestServerOptions options)
    {
        _options = options;
        _context = SslStreamCertificateContext.Create(options.Certificate, [.. options.Chain], offline: true);
        _listener = new TcpListener(options.Address, 0);
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>The server name the client sent in SNI on the last connection; null when none was sent.</summary>
    public string? ReceivedSni { get; private set; }

    public bool ClientHelloSeen { get; private set; }

    public X509Certificate2? ClientCertificate { get; private set; }

    public bool HandshakeCompleted { get; private set; }

    public Exception? HandshakeError { get; private set; }

    /// <summary>Waits until the server side of the last connection has finished or failed its handshake.</summary>
    public async Task<bool> WaitForHandshakeOutcomeAsync()
    {
        for (var i = 0; i < 100 && !HandshakeCompleted && HandshakeError is null; i++)
        {
            await Task.Delay(50);
        }

        return HandshakeCompleted;
    }

    /// <summary>Application bytes received after the handshake on all connections.</summary>
    public int ApplicationBytesReceived => _applicationBytes;

    private int _applicationBytes;

    public static TestTlsServer Start(TestServerOptions options) => new(options);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
        _context.TargetCertificate.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        await using var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(
                (_, hello, _, _) =>
                {
                    ClientHelloSeen = true;
                    ReceivedSni = string.IsNullOrEmpty(hello.ServerName) ? null : hello.ServerName;
                    var options = new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = _context,
                        EnabledSslProtocols = _options.Protocols,
                        ClientCertificateRequired = _options.RequestClientCertificate || _options.RequireClientCertificate,
                        AllowTlsResume = false,
                        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                        {
                            ClientCertificate = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                            return certificate is not null || !_options.RequireClientCertificate;
                        },
                    };
                    if (_options.Alpn.Count > 0)
                    {
                        options.ApplicationProtocols = [.. _options.Alpn.Select(p => new SslApplicationProtocol(p))];
                    }

                    return ValueTask.FromResult(options);
                },
                null,
                _stop.Token);
            HandshakeCompleted = true;

            var buffer = new byte[4096];
            int read;
            while ((read = await ssl.ReadAsync(buffer, _stop.Token)) > 0)
            {
                Interlocked.Add(ref _applicationBytes, read);
                await ssl.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            HandshakeError ??= ex;
        }
    }
}

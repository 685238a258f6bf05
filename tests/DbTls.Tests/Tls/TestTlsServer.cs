using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DbTls.Tests.Infrastructure;

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
/// An in-process TLS server (<see cref="LoopbackListener"/> + server-side SslStream) that records what the
/// client did: every byte it sent on the wire, the SNI, the client certificate, and how many application
/// bytes arrived. After the handshake it echoes whatever it reads, so a test can prove the session works.
/// <see cref="WaitForConnectionClosedAsync"/> lets a test assert what did not happen once the client is gone.
/// </summary>
internal sealed class TestTlsServer : IAsyncDisposable
{
    private readonly TestServerOptions _options;
    private readonly SslStreamCertificateContext _context;
    private readonly LoopbackListener _listener;
    private readonly SemaphoreSlim _closed = new(0);
    private int _applicationBytes;

    private TestTlsServer(TestServerOptions options)
    {
        _options = options;
        _context = SslStreamCertificateContext.Create(options.Certificate, [.. options.Chain], offline: true);
        _listener = LoopbackListener.Start((connection, stop) => Task.Run(() => Serve(connection, stop)), options.Address);
    }

    public IPEndPoint EndPoint => _listener.EndPoint;

    /// <summary>The server name the client sent in SNI on the last connection; null when none was sent.</summary>
    public string? ReceivedSni { get; private set; }

    public bool ClientHelloSeen { get; private set; }

    public X509Certificate2? ClientCertificate { get; private set; }

    public bool HandshakeCompleted { get; private set; }

    public Exception? HandshakeError { get; private set; }

    /// <summary>Every byte clients sent on the wire (TLS records as they are), on all connections.</summary>
    public int WireBytesReceived => _listener.Connections.Sum(c => c.Received.Length);

    /// <summary>Application bytes received after the handshake on all connections.</summary>
    public int ApplicationBytesReceived => _applicationBytes;

    /// <summary>Waits until the server side of the last connection has finished or failed its handshake.</summary>
    public async Task<bool> WaitForHandshakeOutcomeAsync()
    {
        for (var i = 0; i < 100 && !HandshakeCompleted && HandshakeError is null; i++)
        {
            await Task.Delay(50);
        }

        return HandshakeCompleted;
    }

    /// <summary>
    /// Waits until the server has seen one more connection end (the client closed it, or the handshake
    /// failed): from then on nothing else arrives on it, so a test may assert what the client never sent.
    /// </summary>
    public async Task WaitForConnectionClosedAsync()
    {
        if (!await _closed.WaitAsync(TimeSpan.FromSeconds(20)))
        {
            throw new TimeoutException("the test TLS server saw no connection end within 20 s");
        }
    }

    public static TestTlsServer Start(TestServerOptions options) => new(options);

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        _closed.Dispose();
    }

    private async Task Serve(LoopbackConnection connection, CancellationToken stop)
    {
        using var _ = connection.Client;
        try
        {
            await using var ssl = await ServerTls.AcceptAsync(
                connection.Wire,
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
                leaveInnerStreamOpen: false,
                stop);
            HandshakeCompleted = true;

            var buffer = new byte[4096];
            int read;
            while ((read = await ssl.ReadAsync(buffer, stop)) > 0)
            {
                Interlocked.Add(ref _applicationBytes, read);
                await ssl.WriteAsync(buffer.AsMemory(0, read), stop);
            }
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            HandshakeError ??= ex;
        }
        finally
        {
            _closed.Release();
        }
    }
}

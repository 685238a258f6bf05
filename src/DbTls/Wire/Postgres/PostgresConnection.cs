using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using DbTls.Diagnostics;
using DbTls.Net;
using DbTls.Policy;
using DbTls.Tls;
using DbTls.Transports;

namespace DbTls.Wire.Postgres;

/// <summary>
/// One physical connection to a PostgreSQL server: the socket, the optional TLS layer on top, and
/// the message reader. It enforces the rule that no credential leaves the client in plaintext unless
/// the caller declared plaintext acceptable when opening it.
/// </summary>
internal sealed class PostgresConnection : IAsyncDisposable
{
    private readonly NetConnection _net;
    private readonly ObservedStream _raw;
    private readonly BackendMessageReader _reader;
    private readonly bool _plaintextCredentialsAllowed;
    private Stream _stream;

    private PostgresConnection(NetConnection net, bool plaintextCredentialsAllowed)
    {
        _net = net;
        _raw = net.Stream;
        _stream = _raw;
        _reader = new BackendMessageReader(_raw);
        _plaintextCredentialsAllowed = plaintextCredentialsAllowed;
    }

    public EndPoint RemoteEndPoint => _net.RemoteEndPoint;

    public bool IsUnixSocket => _net.IsUnixSocket;

    public TlsSession? Tls { get; private set; }

    public bool IsEncrypted => Tls is not null;

    /// <summary>The server's answer to the last SSLRequest.</summary>
    public SslRequestAnswer? SslAnswer { get; private set; }

    /// <summary>Connects to the first endpoint that accepts, trying them in order as libpq does.</summary>
    public static async Task<PostgresConnection> OpenAsync(IReadOnlyList<EndPoint> endpoints, bool plaintextCredentialsAllowed, CancellationToken cancellationToken)
    {
        var net = await TcpConnector.ConnectAsync(endpoints, connectTimeout: null, cancellationToken).ConfigureAwait(false);
        // Over a Unix-domain socket libpq never negotiates TLS and treats the link as local.
        return new PostgresConnection(net, plaintextCredentialsAllowed || net.IsUnixSocket);
    }

    /// <summary>
    /// Sends SSLRequest and reads the answer. 'S' is accepted only when nothing follows it: any byte
    /// received before the TLS handshake starts was sent unencrypted and may be injected
    /// (CVE-2021-23222), so it is never handed to TLS. Returns the answer when it is 'S' or 'N'.
    /// </summary>
    public async Task<SslRequestAnswer> RequestSslAsync(CancellationToken cancellationToken)
    {
        var answer = await PostgresTransport.RequestSslAsync(_net, cancellationToken).ConfigureAwait(false);
        SslAnswer = answer;
        return answer.Failure is { } failure ? throw failure : answer;
    }

    /// <summary>Runs the TLS handshake on the raw socket, directly or after 'S'.</summary>
    public async Task<TlsSession> StartTlsAsync(TlsPolicy policy, TlsTarget target, CancellationToken cancellationToken)
    {
        if (_reader.BufferedCount != 0)
        {
            throw new DbTlsException(FindingCodes.ServerUnencryptedDataAfterSslResponse,
                $"{_reader.BufferedCount} unencrypted byte(s) were received before the TLS handshake; dbtls did not start TLS on this connection");
        }

        TlsSession session;
        try
        {
            session = await TlsClient.AuthenticateAsync(_raw, policy, target, cancellationToken).ConfigureAwait(false);
        }
        catch (TlsHandshakeException ex) when (ex.Code == FindingCodes.TlsHandshakeFailed && _raw.SawEndOfStream)
        {
            throw new TlsHandshakeException(FindingCodes.ServerClosed,
                $"the server closed the connection during the TLS handshake (after {_raw.BytesRead} byte(s) from the server); its log says why (pg_hba.conf, TLS configuration)",
                ex.Facts, inner: ex);
        }

        Tls = session;
        _stream = session.Stream;
        _reader.SwitchTo(session.Stream);
        return session;
    }

    public async Task SendAsync(byte[] packet, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.WriteAsync(packet, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DbTlsException(FindingCodes.ServerClosed, $"the connection broke while sending to the server: {ex.InnerException?.Message ?? ex.Message}", inner: ex);
        }
    }

    /// <summary>
    /// Sends a message that carries a credential (password, md5 hash, SCRAM proof) and wipes it.
    /// This is the single door credentials leave by, and it is shut while the connection is
    /// unencrypted and the policy demands TLS.
    /// </summary>
    public async Task SendCredentialAsync(byte[] packet, CancellationToken cancellationToken)
    {
        try
        {
            if (!IsEncrypted && !_plaintextCredentialsAllowed)
            {
                Debug.Fail("credential about to be sent without TLS under a policy that requires TLS");
                throw new DbTlsException(FindingCodes.InternalError, "refusing to send a credential over an unencrypted connection while the policy requires TLS");
            }

            await SendAsync(packet, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(packet);
        }
    }

    public ValueTask<BackendMessage> ReadAsync(ReadPhase phase, CancellationToken cancellationToken) =>
        _reader.ReadMessageAsync(phase, cancellationToken);

    /// <summary>Sends Terminate if possible; any failure is irrelevant at this point.</summary>
    public async Task TerminateAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await SendAsync(FrontendMessages.Terminate(), cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbTlsException or IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The session is over either way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Tls is not null)
        {
            await Tls.DisposeAsync().ConfigureAwait(false);
        }

        await _net.DisposeAsync().ConfigureAwait(false);
    }
}

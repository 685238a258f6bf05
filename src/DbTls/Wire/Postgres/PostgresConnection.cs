using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls;

namespace DbTls.Wire.Postgres;

/// <summary>
/// One physical connection to a PostgreSQL server: the socket, the optional TLS layer on top, and
/// the message reader. It enforces the rule that no credential leaves the client in plaintext unless
/// the caller declared plaintext acceptable when opening it.
/// </summary>
internal sealed class PostgresConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ObservedStream _raw;
    private readonly BackendMessageReader _reader;
    private readonly bool _plaintextCredentialsAllowed;
    private Stream _stream;

    private PostgresConnection(Socket socket, EndPoint remote, bool plaintextCredentialsAllowed)
    {
        _socket = socket;
        RemoteEndPoint = remote;
        _raw = new ObservedStream(new NetworkStream(socket, ownsSocket: true));
        _stream = _raw;
        _reader = new BackendMessageReader(_raw);
        _plaintextCredentialsAllowed = plaintextCredentialsAllowed;
    }

    public EndPoint RemoteEndPoint { get; }

    public bool IsUnixSocket => RemoteEndPoint is UnixDomainSocketEndPoint;

    public TlsSession? Tls { get; private set; }

    public bool IsEncrypted => Tls is not null;

    /// <summary>The server's answer to the last SSLRequest, as shown in reports ('S', 'N', 'E', or 0xNN).</summary>
    public string? SslAnswer { get; private set; }

    /// <summary>Connects to the first endpoint that accepts, trying them in order as libpq does.</summary>
    public static async Task<PostgresConnection> OpenAsync(IReadOnlyList<EndPoint> endpoints, bool plaintextCredentialsAllowed, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var unix = endpoint is UnixDomainSocketEndPoint;
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, unix ? ProtocolType.Unspecified : ProtocolType.Tcp);
            try
            {
                if (!unix)
                {
                    socket.NoDelay = true;
                }

                await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
                // Over a Unix-domain socket libpq never negotiates TLS and treats the link as local.
                return new PostgresConnection(socket, endpoint, plaintextCredentialsAllowed || unix);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                errors.Add($"connection to {Describe(endpoint)} failed: {ex.Message}");
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new DbTlsException(FindingCodes.NetUnreachable, string.Join("; ", errors));
    }

    public static string Describe(EndPoint endpoint) => endpoint switch
    {
        IPEndPoint ip => ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip.Address}]:{ip.Port}" : $"{ip.Address}:{ip.Port}",
        UnixDomainSocketEndPoint unix => $"socket \"{unix.ToString().Replace("\0", "@", StringComparison.Ordinal)}\"",
        _ => endpoint.ToString() ?? "server",
    };

    /// <summary>
    /// Sends SSLRequest and reads the one-byte answer. 'S' is accepted only when nothing follows it:
    /// any byte received before the TLS handshake starts was sent unencrypted and may be injected
    /// (CVE-2021-23222), so it is never handed to TLS. Returns 'S' or 'N'.
    /// </summary>
    public async Task<char> RequestSslAsync(CancellationToken cancellationToken)
    {
        await SendAsync(FrontendMessages.SslRequest(), cancellationToken).ConfigureAwait(false);
        var answer = await _reader.ReadAnswerByteAsync(cancellationToken).ConfigureAwait(false);
        SslAnswer = answer is >= 0x21 and <= 0x7E ? ((char)answer).ToString() : $"0x{answer:X2}";
        switch ((char)answer)
        {
            case 'S':
                var injected = _reader.BufferedCount + _socket.Available;
                if (injected > 0)
                {
                    throw new DbTlsException(FindingCodes.ServerUnencryptedDataAfterSslResponse,
                        $"the server answered 'S' to the SSLRequest and then sent {injected} more unencrypted byte(s) before the TLS handshake; dbtls did not start TLS on this connection");
                }

                return 'S';
            case 'N':
                return 'N';
            case 'E':
                throw await ReadErrorBeforeTlsAsync(cancellationToken).ConfigureAwait(false);
            default:
                throw new DbTlsException(FindingCodes.ServerProtocolViolation,
                    $"received an invalid answer to the SSLRequest: byte 0x{answer:X2} (expected 'S' or 'N'); this port may not belong to a PostgreSQL server");
        }
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
                ex.Report, inner: ex);
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

        await _raw.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }

    /// <summary>
    /// The server answered the SSLRequest with 'E'. libpq 17+ does not even read the message because
    /// the server is not authenticated yet; dbtls reads it (briefly, bounded) only to show it, marked
    /// as untrusted.
    /// </summary>
    private async Task<DbTlsException> ReadErrorBeforeTlsAsync(CancellationToken cancellationToken)
    {
        const string prefix = "the server sent an error response to the SSLRequest (before TLS; may not come from the real server)";
        using var brief = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        brief.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            var lengthBytes = await _reader.ReadRawAsync(4, "inside its error response", brief.Token).ConfigureAwait(false);
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(lengthBytes);
            if (length is < 5 or > PostgresProtocol.MaxStartupErrorLength)
            {
                return new DbTlsException(FindingCodes.ServerError, $"{prefix}; its length word ({length}) is not that of a protocol 3.0 error, so its text is not shown");
            }

            var body = await _reader.ReadRawAsync(length - 4, "inside its error response", brief.Token).ConfigureAwait(false);
            var error = PostgresServerError.Parse(new BackendMessage(BackendMessageType.ErrorResponse, body));
            return new DbTlsException(FindingCodes.ServerError, $"{prefix}: \"{error.Describe()}\"");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DbTlsException(FindingCodes.ServerError, $"{prefix}; the rest of the message did not arrive");
        }
        catch (DbTlsException ex)
        {
            return new DbTlsException(FindingCodes.ServerError, $"{prefix}; the message could not be read ({ex.Message})");
        }
    }
}

using System.Buffers.Binary;
using DbTls.Diagnostics;
using DbTls.Net;
using DbTls.Wire.Postgres;

namespace DbTls.Transports;

/// <summary>
/// PostgreSQL up to the TLS ClientHello. With <c>sslnegotiation=postgres</c> the client sends SSLRequest and
/// the server answers one byte; with direct TLS (PostgreSQL 17+) the ClientHello, offering ALPN
/// <c>postgresql</c>, is the first byte on the connection and nothing is exchanged before it.
/// </summary>
/// <example>
/// <code>
/// await using var connection = await TcpConnector.ConnectAsync(host, 5432, null, ct);
/// var answer = await PostgresTransport.RequestSslAsync(connection, ct);
/// if (answer.MayStartTls)
/// {
///     await connection.Stream.WriteAsync(clientHello, ct); // or new SslStream(connection.Stream)
/// }
/// </code>
/// </example>
internal static class PostgresTransport
{
    /// <summary>Sends SSLRequest and reads the answer; for 'E' also the error (briefly, bounded) so it can be shown.</summary>
    /// <remarks>
    /// Exactly one byte is read for 'S' or 'N', so after 'N' the connection is where a plaintext StartupMessage
    /// goes, and after 'S' whatever else has arrived is counted, not consumed.
    /// </remarks>
    /// <exception cref="DbTlsException"><c>server.closed</c> when the server hangs up or the connection breaks before answering.</exception>
    public static async Task<SslRequestAnswer> RequestSslAsync(NetConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var stream = connection.Stream;
        await WriteAsync(stream, FrontendMessages.SslRequest(), cancellationToken).ConfigureAwait(false);
        var answer = await ReadAnswerByteAsync(stream, cancellationToken).ConfigureAwait(false);
        return (char)answer switch
        {
            'S' => new SslRequestAnswer(answer, connection.Available),
            'E' => new SslRequestAnswer(answer, 0, await ReadErrorBeforeTlsAsync(stream, cancellationToken).ConfigureAwait(false)),
            _ => new SslRequestAnswer(answer, 0),
        };
    }

    private static async Task WriteAsync(Stream stream, byte[] packet, CancellationToken cancellationToken)
    {
        try
        {
            await stream.WriteAsync(packet, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DbTlsException(FindingCodes.ServerClosed, $"the connection broke while sending to the server: {ex.InnerException?.Message ?? ex.Message}", inner: ex);
        }
    }

    /// <summary>
    /// The server answered the SSLRequest with 'E'. libpq 17+ does not even read the message because the
    /// server is not authenticated yet; dbtls reads it (briefly, bounded) only to show it, marked as untrusted.
    /// Returns the finding's message.
    /// </summary>
    private static async Task<string> ReadErrorBeforeTlsAsync(Stream stream, CancellationToken cancellationToken)
    {
        const string prefix = "the server sent an error response to the SSLRequest (before TLS; may not come from the real server)";
        const string context = "inside its error response";
        // The connection is over after 'E', so a buffering reader may read ahead.
        var reader = new BackendMessageReader(stream);
        using var brief = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        brief.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(await reader.ReadRawAsync(4, context, brief.Token).ConfigureAwait(false));
            if (length is < 5 or > PostgresProtocol.MaxStartupErrorLength)
            {
                return $"{prefix}; its length word ({length}) is not that of a protocol 3.0 error, so its text is not shown";
            }

            var body = await reader.ReadRawAsync(length - 4, context, brief.Token).ConfigureAwait(false);
            var error = PostgresServerError.Parse(new BackendMessage(BackendMessageType.ErrorResponse, body));
            return $"{prefix}: \"{error.Describe()}\"";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"{prefix}; the rest of the message did not arrive";
        }
        catch (DbTlsException ex)
        {
            return $"{prefix}; the message could not be read ({ex.Message})";
        }
    }

    /// <summary>
    /// Reads the one answer byte and nothing more: after 'N' the next bytes belong to the plaintext session, after
    /// 'S' they are counted as injected, never consumed.
    /// </summary>
    private static async Task<byte> ReadAnswerByteAsync(Stream stream, CancellationToken cancellationToken)
    {
        var one = new byte[1];
        int read;
        try
        {
            read = await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DbTlsException(FindingCodes.ServerClosed, $"the connection broke before answering the SSLRequest: {ex.InnerException?.Message ?? ex.Message}", inner: ex);
        }

        return read == 1 ? one[0] : throw new DbTlsException(FindingCodes.ServerClosed, "the server closed the connection before answering the SSLRequest");
    }
}

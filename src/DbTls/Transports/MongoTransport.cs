using System.Net;
using System.Net.Sockets;
using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Net;

namespace DbTls.Transports;

/// <summary>
/// MongoDB up to the TLS ClientHello: there is no in-protocol negotiation, so with TLS on the ClientHello is the
/// first byte on the connection (implicit TLS), before any MongoDB message and so before any credential.
/// </summary>
/// <example>
/// <code>
/// await using var connection = await MongoTransport.ConnectAsync(new MongoHost("db.example.com", 27017, MongoHostKind.HostName), null, ct);
/// await connection.Stream.WriteAsync(clientHello, ct); // or new SslStream(connection.Stream)
/// </code>
/// </example>
internal static class MongoTransport
{
    /// <summary>
    /// Connects to <paramref name="host"/>: to <paramref name="addresses"/> in order when a resolver of the caller's
    /// already found them (an SRV target may exist only on that resolver's DNS server), else to what the system
    /// resolver says. Failures are worded as the MongoDB drivers' are, naming the seed rather than an address.
    /// </summary>
    /// <exception cref="DbTlsException">
    /// <c>config.invalid</c> for a UNIX domain socket; <c>net.unreachable</c>; <c>server.closed</c> when the peer
    /// accepted and reset the connection at once (something listens there and refused us).
    /// </exception>
    public static async Task<NetConnection> ConnectAsync(MongoHost host, IReadOnlyList<IPAddress>? addresses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (host.Kind == MongoHostKind.UnixSocket)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"'{host.Host}' is a UNIX domain socket; dbtls checks TLS over TCP only");
        }

        try
        {
            return addresses is null
                ? await TcpConnector.ConnectAsync(host.Host, host.Port, connectTimeout: null, cancellationToken).ConfigureAwait(false)
                : await TcpConnector.ConnectAsync([.. addresses.Select(a => (EndPoint)new IPEndPoint(a, host.Port))], connectTimeout: null, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectFailedException ex) when (ex.LastError is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown)
        {
            throw new DbTlsException(FindingCodes.ServerClosed, $"{host} accepted the TCP connection and closed it at once: {ex.LastReason}", inner: ex);
        }
        catch (ConnectFailedException ex)
        {
            throw new DbTlsException(FindingCodes.NetUnreachable, $"could not connect to {host}: {ex.LastReason}", inner: ex);
        }
    }
}

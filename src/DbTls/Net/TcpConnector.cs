using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DbTls.Diagnostics;

namespace DbTls.Net;

/// <summary>
/// The one place dbtls opens a connection: resolves a host name, connects to each address in order until one
/// accepts (as libpq, SqlClient and the MongoDB drivers do), within an optional connect timeout and the
/// caller's cancellation, and records what was tried.
/// </summary>
/// <example>
/// <code>
/// await using var connection = await TcpConnector.ConnectAsync("db.example.com", 5432, TimeSpan.FromSeconds(5), ct);
/// // connection.Stream is where the protocol's first bytes go.
/// </code>
/// </example>
internal static class TcpConnector
{
    /// <summary>Resolves <paramref name="host"/> (an IP literal needs no lookup) and connects to the first address that accepts.</summary>
    /// <exception cref="ConnectFailedException">The name did not resolve, had no address, or no address accepted.</exception>
    /// <exception cref="DbTlsException"><c>config.invalid</c> for a port out of range; <c>net.timeout</c> when the connect timeout passed.</exception>
    public static async Task<NetConnection> ConnectAsync(string host, int port, TimeSpan? connectTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var addresses = await ResolveAsync(host, port, cancellationToken).ConfigureAwait(false);
        return await ConnectAsync(addresses.Select(a => (EndPoint)new IPEndPoint(a, port)).ToArray(), connectTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The addresses of <paramref name="host"/> in the resolver's order.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (port is < 1 or > 65535)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"invalid port number {port.ToString(CultureInfo.InvariantCulture)}");
        }

        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new ConnectFailedException($"could not resolve host name \"{host}\": {ex.Message}", [], ex);
        }

        return addresses.Length > 0 ? addresses : throw new ConnectFailedException($"host name \"{host}\" has no addresses", []);
    }

    /// <summary>Connects to the first of <paramref name="endpoints"/> that accepts, in order; Unix-domain endpoints too.</summary>
    public static async Task<NetConnection> ConnectAsync(IReadOnlyList<EndPoint> endpoints, TimeSpan? connectTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        using var connectLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (connectTimeout is { } limit && limit > TimeSpan.Zero)
        {
            connectLimit.CancelAfter(limit);
        }

        var failed = new List<ConnectAttempt>();
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

                await socket.ConnectAsync(endpoint, connectLimit.Token).ConfigureAwait(false);
                return new NetConnection(socket, endpoint, failed);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                failed.Add(new ConnectAttempt(endpoint, ex.SocketErrorCode, ex.Message));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw new DbTlsException(FindingCodes.NetTimeout,
                    $"the TCP connection to {EndpointNames.Describe(endpoint)} was not established within the connect timeout of {DurationText.Seconds(connectTimeout!.Value)}");
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new ConnectFailedException(failed.Count == 0 ? "there was no address to connect to" : string.Join("; ", failed), failed);
    }
}

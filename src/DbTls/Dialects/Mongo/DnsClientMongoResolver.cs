using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DbTls.Diagnostics;
using DnsClient;
using DnsClient.Protocol;

namespace DbTls.Dialects.Mongo;

/// <summary>
/// Real DNS for <c>mongodb+srv://</c>, through DnsClient.NET (the library MongoDB.Driver itself uses for SRV
/// and TXT). With a <see cref="IPEndPoint"/> every query, including the A/AAAA lookup of the
/// SRV targets, goes to that server; without one the name servers of the system (/etc/resolv.conf) answer
/// SRV and TXT and the operating system resolves host names, as the drivers do.
/// </summary>
public sealed class DnsClientMongoResolver : IMongoDnsResolver
{
    /// <summary>How long one query waits for an answer before it is sent again (then given up).</summary>
    public static readonly TimeSpan DefaultQueryTimeout = TimeSpan.FromSeconds(5);

    private static readonly QueryType[] AddressQueries = [QueryType.A, QueryType.AAAA];

    private readonly LookupClient? _client;
    private readonly string _servers;

    /// <param name="server">The DNS server to ask; null for the system's name servers.</param>
    /// <param name="queryTimeout">Per-try time-out; one retry follows a time-out. The caller's token bounds the whole lookup.</param>
    public DnsClientMongoResolver(IPEndPoint? server = null, TimeSpan? queryTimeout = null)
    {
        Server = server;
        // DnsClient would quietly fall back to public resolvers when the system lists none; a check must
        // not ask a server the user never configured, so the system list is read here without that fallback.
        var nameServers = server is null
            ? [.. NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false)]
            : new[] { new NameServer(server) };
        _servers = nameServers.Length == 0 ? "(none)" : string.Join(", ", nameServers.Select(n => $"{n.Address}:{n.Port}"));
        _client = nameServers.Length == 0 ? null : new LookupClient(new LookupClientOptions(nameServers)
        {
            // A check reports what DNS says now, so nothing is cached between queries or checks.
            UseCache = false,
            Timeout = queryTimeout ?? DefaultQueryTimeout,
            Retries = 1,
            // Errors come back as response codes and are turned into findings below.
            ThrowDnsErrors = false,
            ContinueOnDnsError = true,
            // An empty answer is an answer ("no TXT record"), not a reason to ask another server.
            ContinueOnEmptyResponse = false,
            UseTcpFallback = true,
        });
    }

    /// <summary>The DNS server given to the constructor; null when the system's name servers are used.</summary>
    public IPEndPoint? Server { get; }

    /// <summary>
    /// Parses a <c>--dns-server</c> value: an IPv4 dotted quad or an IPv6 address, with an optional port (53
    /// when left out; IPv6 in brackets when a port follows). Names are refused: resolving the DNS server's
    /// own name would need the DNS server the option is there to replace.
    /// </summary>
    public static IPEndPoint ParseServer(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        string host;
        var portText = (string?)null;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            host = close < 0 ? "" : value[1..close];
            var rest = close < 0 ? "" : value[(close + 1)..];
            if (close < 0 || (rest.Length > 0 && !rest.StartsWith(':')))
            {
                throw BadServer(text);
            }

            portText = rest.Length > 0 ? rest[1..] : null;
        }
        else if (value.Count(c => c == ':') == 1)
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            (host, portText) = (value[..colon], value[(colon + 1)..]);
        }
        else
        {
            host = value; // no port, or a bare IPv6 address
        }

        var port = NameServer.DefaultPort;
        if (!IPAddress.TryParse(host, out var address)
            // IPAddress also reads inet_aton shorthands ("1", "0x7f.1"); only dotted quads are meant.
            || (address.AddressFamily == AddressFamily.InterNetwork && (host.Split('.').Length != 4 || value.StartsWith('[')))
            || (portText is not null && !(int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535)))
        {
            throw BadServer(text);
        }

        return new IPEndPoint(address, port);
    }

    private static DbTlsException BadServer(string text) =>
        new(FindingCodes.ConfigInvalid, $"'{text}' is not a DNS server address; give an IP address and optionally a port, e.g. 127.0.0.1:5353 or [::1]:5353");

    public async Task<IReadOnlyList<SrvRecord>> ResolveSrvAsync(string name, CancellationToken cancellationToken)
    {
        var response = await QueryAsync(name, QueryType.SRV, cancellationToken).ConfigureAwait(false);
        if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
        {
            throw new DbTlsException(FindingCodes.DnsSrvLookupFailed, $"DNS ({_servers}) says {name} does not exist (NXDOMAIN), so the URI names no hosts");
        }

        ThrowOnError(response, name, "SRV");
        return [.. response.Answers.OfType<DnsClient.Protocol.SrvRecord>()
            .Select(r => new SrvRecord(r.Target.Value, r.Port))];
    }

    public async Task<IReadOnlyList<IReadOnlyList<string>>> ResolveTxtAsync(string name, CancellationToken cancellationToken)
    {
        var response = await QueryAsync(name, QueryType.TXT, cancellationToken).ConfigureAwait(false);
        // No TXT record is fine: TXT only carries optional defaults. A name with SRV records below it but
        // none of its own is often answered NXDOMAIN (dnsmasq does), which means the same.
        if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
        {
            return [];
        }

        ThrowOnError(response, name, "TXT");
        return [.. response.Answers.OfType<TxtRecord>().Select(r => (IReadOnlyList<string>)[.. r.Text])];
    }

    public async Task<IReadOnlyList<IPAddress>> ResolveHostAsync(string host, CancellationToken cancellationToken)
    {
        if (Server is null)
        {
            // The operating system also reads /etc/hosts and nsswitch, as the drivers' own connects do.
            return await IMongoDnsResolver.ResolveWithSystemAsync(host, cancellationToken).ConfigureAwait(false);
        }

        var addresses = new List<IPAddress>();
        foreach (var type in AddressQueries)
        {
            var response = await QueryAsync(host, type, cancellationToken).ConfigureAwait(false);
            if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
            {
                break;
            }

            if (response.HasError)
            {
                throw new DbTlsException(FindingCodes.NetUnreachable,
                    $"could not translate host name \"{host}\" to address: DNS ({_servers}) answered {ResponseCodeName(response)} to the {type} query");
            }

            addresses.AddRange(response.Answers.OfType<AddressRecord>().Select(r => r.Address));
        }

        return addresses.Count > 0 ? addresses
            : throw new DbTlsException(FindingCodes.NetUnreachable, $"could not translate host name \"{host}\" to address: DNS ({_servers}) has no A or AAAA record for it");
    }

    private async Task<IDnsQueryResponse> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_client is null)
        {
            throw new DbTlsException(FindingCodes.DnsSrvLookupFailed,
                $"the {type} lookup of {name} has no DNS server to ask: the system configures none (/etc/resolv.conf); give one with --dns-server");
        }

        try
        {
            return await _client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (DnsResponseException ex) when (cancellationToken.IsCancellationRequested)
        {
            // DnsClient may report a cancelled wait as a time-out; the caller asked to stop, so say that.
            throw new OperationCanceledException($"the {type} lookup of {name} was cancelled", ex, cancellationToken);
        }
        catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.ConnectionTimeout)
        {
            throw new DbTlsException(FindingCodes.DnsSrvLookupFailed,
                $"the {type} lookup of {name} got no answer from DNS ({_servers}): it timed out or the server could not be reached", inner: ex);
        }
        catch (Exception ex) when (ex is DnsResponseException or DnsResponseParseException or SocketException or ArgumentException or InvalidOperationException)
        {
            // DnsResponseParseException: a malformed answer (lengths past the end, compression-pointer loops).
            // ArgumentException: DnsClient refuses names that are not valid DNS names (e.g. a label over 63 bytes).
            throw new DbTlsException(FindingCodes.DnsSrvLookupFailed, $"the {type} lookup of {name} failed: {ex.Message}", inner: ex);
        }
    }

    private void ThrowOnError(IDnsQueryResponse response, string name, string type)
    {
        if (response.HasError)
        {
            throw new DbTlsException(FindingCodes.DnsSrvLookupFailed,
                $"DNS ({_servers}) answered {ResponseCodeName(response)} to the {type} query for {name}");
        }
    }

    private static string ResponseCodeName(IDnsQueryResponse response) => response.Header.ResponseCode switch
    {
        DnsHeaderResponseCode.ServerFailure => "SERVFAIL",
        DnsHeaderResponseCode.Refused => "REFUSED",
        DnsHeaderResponseCode.FormatError => "FORMERR",
        DnsHeaderResponseCode.NotImplemented => "NOTIMP",
        DnsHeaderResponseCode.NotExistentDomain => "NXDOMAIN",
        var other => "response code " + ((int)other).ToString(CultureInfo.InvariantCulture),
    };
}

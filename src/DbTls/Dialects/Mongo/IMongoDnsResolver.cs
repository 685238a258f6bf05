using System.Net;
using System.Net.Sockets;
using DbTls.Diagnostics;

namespace DbTls.Dialects.Mongo;

/// <summary>One DNS SRV record (priority and weight are ignored by MongoDB drivers).</summary>
public sealed record SrvRecord(string Target, int Port);

/// <summary>
/// The DNS queries a <c>mongodb+srv://</c> URI needs. <see cref="DnsClientMongoResolver"/> is the real one
/// (system resolver or a named DNS server); tests may pass a table. Implementations throw
/// <see cref="DbTlsException"/> with <see cref="FindingCodes.DnsSrvLookupFailed"/> when the lookup itself fails.
/// </summary>
public interface IMongoDnsResolver
{
    /// <summary>The SRV records of <paramref name="name"/> (already prefixed, e.g. <c>_mongodb._tcp.cluster0.example.com</c>).</summary>
    Task<IReadOnlyList<SrvRecord>> ResolveSrvAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every TXT record of <paramref name="name"/>, each as its list of character strings; none when the name has no TXT record.</summary>
    Task<IReadOnlyList<IReadOnlyList<string>>> ResolveTxtAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// The addresses of a host the seed list names. A resolver bound to one DNS server must answer this from
    /// that server too, or an SRV target known only there could not be reached; the default asks the
    /// operating system, as the drivers do. Throws <see cref="DbTlsException"/> with
    /// <see cref="FindingCodes.NetUnreachable"/> when the name has no address.
    /// </summary>
    Task<IReadOnlyList<IPAddress>> ResolveHostAsync(string host, CancellationToken cancellationToken) =>
        ResolveWithSystemAsync(host, cancellationToken);

    /// <summary>The operating system's answer for <paramref name="host"/> (/etc/hosts, then DNS, as nsswitch says).</summary>
    static async Task<IReadOnlyList<IPAddress>> ResolveWithSystemAsync(string host, CancellationToken cancellationToken)
    {
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            return addresses.Length > 0 ? addresses
                : throw new DbTlsException(FindingCodes.NetUnreachable, $"could not translate host name \"{host}\" to address: no addresses");
        }
        catch (SocketException ex)
        {
            throw new DbTlsException(FindingCodes.NetUnreachable, $"could not translate host name \"{host}\" to address: {ex.Message}", inner: ex);
        }
    }
}

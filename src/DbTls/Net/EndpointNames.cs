using System.Net;
using System.Net.Sockets;

namespace DbTls.Net;

/// <summary>How an address appears in findings and attempt lists: <c>10.0.0.5:5432</c>, <c>[::1]:1433</c>, <c>socket "/tmp/.s.PGSQL.5432"</c>.</summary>
internal static class EndpointNames
{
    public static string Describe(EndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint switch
        {
            IPEndPoint ip => ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip.Address}]:{ip.Port}" : $"{ip.Address}:{ip.Port}",
            // The abstract namespace starts with a NUL byte; '@' is how libpq and ss(8) write it.
            UnixDomainSocketEndPoint unix => $"socket \"{unix.ToString().Replace("\0", "@", StringComparison.Ordinal)}\"",
            _ => endpoint.ToString() ?? "server",
        };
    }
}

using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;

namespace DbTls.Cli.Commands;

/// <summary>
/// <c>--dns-server HOST[:PORT]</c>: an IPv4 address, an IPv6 address (in brackets when a port follows) or
/// <c>localhost</c>, with port 53 unless given. Names other than localhost are refused: resolving the DNS
/// server's own name would need the DNS server the option is there to replace.
/// </summary>
internal static class DnsServerOption
{
    public const int DefaultPort = 53;

    public static IPEndPoint? Parse(ArgumentResult result)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (TryParse(token, out var endpoint))
        {
            return endpoint;
        }

        result.AddError($"--dns-server takes an IP address (or localhost) with an optional port, e.g. 127.0.0.1:5353 or [::1]:53 (got '{token}').");
        return null;
    }

    public static bool TryParse(string text, out IPEndPoint? endpoint)
    {
        endpoint = null;
        string host;
        var port = DefaultPort;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0 && (!rest.StartsWith(':') || !TryPort(rest[1..], out port)))
            {
                return false;
            }
        }
        else if (text.Count(c => c == ':') == 1)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            host = text[..colon];
            if (!TryPort(text[(colon + 1)..], out port))
            {
                return false;
            }
        }
        else
        {
            // No colon, or a bare IPv6 address (several colons, no port).
            host = text;
        }

        var localhost = host.Equals("localhost", StringComparison.OrdinalIgnoreCase);
        IPAddress? address = localhost ? IPAddress.Loopback : null;
        if (address is null && (!IPAddress.TryParse(host, out address) || (text.StartsWith('[') && address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)))
        {
            return false;
        }

        // IPAddress.TryParse also takes "1" or "0x7f.1" (inet_aton forms); only dotted quads and IPv6 are meant here.
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !localhost && host.Split('.').Length != 4)
        {
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
}

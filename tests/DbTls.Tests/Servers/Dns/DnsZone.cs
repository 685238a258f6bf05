using System.Globalization;
using System.Net;

namespace DbTls.Tests.Servers.Dns;

/// <summary>
/// The records a <see cref="DnsmasqServer"/> serves, written as dnsmasq's own command-line options
/// (--srv-host, --txt-record, --host-record, --local), so a test reads like the zone it sets up.
/// </summary>
public sealed class DnsZone
{
    private readonly List<string> _arguments = [];

    public IReadOnlyList<string> Arguments => _arguments;

    /// <summary>One SRV record; dnsmasq returns every record given for the same name.</summary>
    public DnsZone Srv(string name, string target, int port, int priority = 0, int weight = 0)
    {
        _arguments.Add(string.Create(CultureInfo.InvariantCulture, $"--srv-host={name},{target},{port},{priority},{weight}"));
        return this;
    }

    /// <summary>One TXT record made of <paramref name="strings"/> (each a DNS character string).</summary>
    public DnsZone Txt(string name, params string[] strings)
    {
        if (strings.Any(s => s.Contains('"', StringComparison.Ordinal) || s.Contains(',', StringComparison.Ordinal)))
        {
            throw new ArgumentException("dnsmasq's --txt-record cannot carry '\"' or ',' inside a string", nameof(strings));
        }

        _arguments.Add($"--txt-record={name},{string.Join(',', strings)}");
        return this;
    }

    /// <summary>A and AAAA records for <paramref name="name"/>.</summary>
    public DnsZone Host(string name, params IPAddress[] addresses)
    {
        _arguments.Add($"--host-record={name},{string.Join(',', addresses.Select(a => a.ToString()))}");
        return this;
    }

    /// <summary>Names under <paramref name="domain"/> that have no record are answered NXDOMAIN (without it dnsmasq, having no upstream, answers REFUSED).</summary>
    public DnsZone Local(string domain)
    {
        _arguments.Add($"--local=/{domain}/");
        return this;
    }

    /// <summary>Queries for names under <paramref name="domain"/> are forwarded to <paramref name="upstream"/> (e.g. a server that answers SERVFAIL).</summary>
    public DnsZone Forward(string domain, IPEndPoint upstream)
    {
        _arguments.Add(string.Create(CultureInfo.InvariantCulture, $"--server=/{domain}/{upstream.Address}#{upstream.Port}"));
        return this;
    }
}

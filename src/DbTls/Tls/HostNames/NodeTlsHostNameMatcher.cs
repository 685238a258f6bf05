using System.Security.Cryptography.X509Certificates;
using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Tls.HostNames;

/// <summary>
/// Node.js <c>tls.checkServerIdentity</c> (lib/tls.js), the rules <see cref="Policy.HostNameRules.NodeTls"/> describes,
/// checked against Node 20's own function (NodeTlsHostNameMatcherTests). Unlike libpq and .NET, an IP host is never
/// compared with the CN, and the CN counts only when the certificate has no dNSName SAN, whatever iPAddress SANs it has.
/// </summary>
internal sealed class NodeTlsHostNameMatcher : IHostNameMatcher
{
    public static NodeTlsHostNameMatcher Instance { get; } = new();

    public string Name => "node";

    public HostNameMatchResult Match(X509Certificate2 certificate, string hostName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentException.ThrowIfNullOrEmpty(hostName);

        var host = hostName.Length > 2 && hostName[0] == '[' && hostName[^1] == ']' ? hostName[1..^1] : hostName;
        host = host.EndsWith('.') ? host[..^1] : host;
        var sans = CertificateNames.ReadSubjectAltNames(certificate);
        if (IsIp(host, out var address))
        {
            var ips = sans.Where(s => s.Kind == SubjectAltNameKind.IPAddress).ToList();
            var shownIps = ips.Select(s => "IP:" + InetAddress.Format(s.Value.Span)).ToList();
            return ips.Any(s => s.Value.Span.SequenceEqual(address))
                ? new HostNameMatchResult(true, null, $"IP \"{host}\" is in the certificate's IP SANs (Node's checkServerIdentity)", shownIps)
                : new HostNameMatchResult(false, FindingCodes.CertHostnameMismatch,
                    $"Hostname/IP does not match certificate's altnames: IP: {host} is not in the cert's list: {string.Join(", ", shownIps)} (Node never compares an IP with the CN)", shownIps);
        }

        var dns = sans.Where(s => s.Kind == SubjectAltNameKind.Dns).Select(s => Encoding.UTF8.GetString(s.Value.Span)).ToList();
        var usesCn = dns.Count == 0;
        var patterns = usesCn ? CertificateNames.ReadCommonNames(certificate).Select(cn => Encoding.UTF8.GetString(cn)).ToList() : dns;
        var shown = patterns.Select(p => (usesCn ? "CN:" : "DNS:") + p).ToList();
        if (patterns.Count == 0)
        {
            return new HostNameMatchResult(false, FindingCodes.CertNoHostName, "Hostname/IP does not match certificate's altnames: Cert does not contain a DNS name", shown);
        }

        var hostParts = Lower(host).Split('.');
        if (patterns.Any(p => Matches(hostParts, p)))
        {
            return new HostNameMatchResult(true, null, $"host name \"{host}\" matches the server certificate ({string.Join(", ", shown)}; Node's checkServerIdentity)", shown);
        }

        var what = usesCn ? "cert's CN" : "in the cert's altnames";
        return new HostNameMatchResult(false, FindingCodes.CertHostnameMismatch,
            $"Hostname/IP does not match certificate's altnames: Host: {host}. is not {what}: {string.Join(", ", shown)}", shown);
    }

    /// <summary>lib/tls.js check(): label by label, one wildcard in the first label of a pattern with three or more labels.</summary>
    private static bool Matches(string[] hostParts, string pattern)
    {
        if (pattern.Length == 0)
        {
            return false;
        }

        var parts = Lower(pattern.EndsWith('.') ? pattern[..^1] : pattern).Split('.');
        if (parts.Length != hostParts.Length || parts.Any(p => p.Length == 0 || p.Any(c => c < '\u0021' || c > '\u007f')))
        {
            return false;
        }

        for (var i = parts.Length - 1; i > 0; i--)
        {
            if (!string.Equals(parts[i], hostParts[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        var first = parts[0];
        var star = first.IndexOf('*', StringComparison.Ordinal);
        if (star < 0 || first.Contains("xn--", StringComparison.Ordinal))
        {
            return string.Equals(first, hostParts[0], StringComparison.Ordinal);
        }

        if (first.IndexOf('*', star + 1) >= 0 || parts.Length <= 2)
        {
            return false;
        }

        var (prefix, suffix) = (first[..star], first[(star + 1)..]);
        var label = hostParts[0];
        return prefix.Length + suffix.Length <= label.Length
            && label.StartsWith(prefix, StringComparison.Ordinal)
            && label.EndsWith(suffix, StringComparison.Ordinal);
    }

    // Node lower-cases A-Z only (its splitHost), never by culture.
    private static string Lower(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            span[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
        }
    });

    /// <summary>net.isIP: a strict dotted quad (no leading zeros, no short forms) or an IPv6 literal.</summary>
    internal static bool IsIp(string host, out byte[] address)
    {
        if (host.Contains(':', StringComparison.Ordinal))
        {
            return InetAddress.TryInetPton6(host, out address);
        }

        address = new byte[4];
        var parts = host.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        for (var i = 0; i < 4; i++)
        {
            var part = parts[i];
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0') || part.Any(c => c is < '0' or > '9'))
            {
                return false;
            }

            var value = int.Parse(part, System.Globalization.CultureInfo.InvariantCulture);
            if (value > 255)
            {
                return false;
            }

            address[i] = (byte)value;
        }

        return true;
    }
}

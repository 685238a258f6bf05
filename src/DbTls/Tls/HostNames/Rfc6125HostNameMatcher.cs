using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Tls.HostNames;

/// <summary>
/// Host-name matching as .NET applies it (<see cref="X509Certificate2.MatchesHostname"/>, RFC 6125
/// with .NET's choices), measured rather than assumed:
/// <list type="bullet">
/// <item>an IP host (anything <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> accepts, so 127.1 too)
/// is compared with iPAddress SANs only, a DNS host with dNSName SANs only;</item>
/// <item>the CN is used only when the certificate has no SAN of the host's type;</item>
/// <item>wildcards stand for one whole left-most label, in SANs only (not in the CN).</item>
/// </list>
/// It differs from libpq in that dNSName SANs are never compared with an IP host and a CN wildcard
/// does not count.
/// </summary>
internal sealed class Rfc6125HostNameMatcher : IHostNameMatcher
{
    public static Rfc6125HostNameMatcher Instance { get; } = new();

    public string Name => "rfc6125";

    public HostNameMatchResult Match(X509Certificate2 certificate, string hostName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentException.ThrowIfNullOrEmpty(hostName);

        // Brackets are URI syntax, not part of an IPv6 literal.
        var host = hostName.Length > 2 && hostName[0] == '[' && hostName[^1] == ']' ? hostName[1..^1] : hostName;
        var hostIsIp = IPAddress.TryParse(host, out _);
        var kind = hostIsIp ? SubjectAltNameKind.IPAddress : SubjectAltNameKind.Dns;
        var names = CertificateNames.ReadSubjectAltNames(certificate)
            .Where(s => s.Kind == kind)
            .Select(s => kind == SubjectAltNameKind.Dns ? "DNS:" + Encoding.UTF8.GetString(s.Value.Span) : "IP:" + InetAddress.Format(s.Value.Span))
            .ToList();
        var usesCn = names.Count == 0;
        if (usesCn && CertificateNames.ReadFirstCommonName(certificate) is { } cn)
        {
            names.Add("CN:" + Encoding.UTF8.GetString(cn));
        }

        if (names.Count == 0)
        {
            return new HostNameMatchResult(false, FindingCodes.CertNoHostName, $"the server certificate names no host to compare with \"{hostName}\" (no {(hostIsIp ? "iPAddress" : "dNSName")} SAN and no CN)", names);
        }

        var shown = string.Join(", ", names);
        var how = usesCn ? $"the CN is used because there is no {(hostIsIp ? "iPAddress" : "dNSName")} SAN" : $"only {(hostIsIp ? "iPAddress" : "dNSName")} SANs count";
        if (certificate.MatchesHostname(host, allowWildcards: true, allowCommonName: true))
        {
            return new HostNameMatchResult(true, null, $"host name \"{hostName}\" matches the server certificate ({shown}; RFC 6125 rules as .NET applies them: {how})", names);
        }

        var message = $"server certificate does not match host name \"{hostName}\": it is valid for {shown} (RFC 6125 rules as .NET applies them: {how})";
        return new HostNameMatchResult(false, FindingCodes.CertHostnameMismatch, message, names);
    }
}

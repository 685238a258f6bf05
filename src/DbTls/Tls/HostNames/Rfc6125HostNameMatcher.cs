using System.Security.Cryptography.X509Certificates;
using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Tls.HostNames;

/// <summary>
/// RFC 6125 matching as .NET's SslStream applies it (<see cref="X509Certificate2.MatchesHostname"/>):
/// when the certificate has any dNSName or iPAddress SAN, only SANs count and the CN is ignored; an IP
/// host is compared with iPAddress SANs only; a wildcard stands for exactly one whole left-most label.
/// </summary>
public sealed class Rfc6125HostNameMatcher : IHostNameMatcher
{
    public static Rfc6125HostNameMatcher Instance { get; } = new();

    public string Name => "rfc6125";

    public HostNameMatchResult Match(X509Certificate2 certificate, string hostName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentException.ThrowIfNullOrEmpty(hostName);

        var names = new List<string>();
        foreach (var san in CertificateNames.ReadSubjectAltNames(certificate))
        {
            if (san.Kind == SubjectAltNameKind.Dns)
            {
                names.Add("DNS:" + Encoding.UTF8.GetString(san.Value.Span));
            }
            else if (san.Kind == SubjectAltNameKind.IPAddress)
            {
                names.Add("IP:" + InetAddress.Format(san.Value.Span));
            }
        }

        var usesCn = names.Count == 0;
        if (usesCn && CertificateNames.ReadFirstCommonName(certificate) is { } cn)
        {
            names.Add("CN:" + Encoding.UTF8.GetString(cn));
        }

        if (names.Count == 0)
        {
            return new HostNameMatchResult(false, FindingCodes.CertNoHostName, "the server certificate names no host (no subjectAltName and no CN)", names);
        }

        // Brackets are URI syntax, not part of an IPv6 literal.
        var host = hostName.Length > 2 && hostName[0] == '[' && hostName[^1] == ']' ? hostName[1..^1] : hostName;
        var shown = string.Join(", ", names);
        if (certificate.MatchesHostname(host, allowWildcards: true, allowCommonName: true))
        {
            return new HostNameMatchResult(true, null, $"host name \"{hostName}\" matches the server certificate ({shown}; RFC 6125 rules{(usesCn ? ", CN used because there is no SAN" : "")})", names);
        }

        var message = $"server certificate does not match host name \"{hostName}\": it is valid for {shown}" +
            (usesCn ? "" : " (RFC 6125: the CN is ignored when subjectAltName entries exist)");
        return new HostNameMatchResult(false, FindingCodes.CertHostnameMismatch, message, names);
    }
}

using System.Security.Cryptography.X509Certificates;
using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Tls.HostNames;

/// <summary>
/// FreeTDS built with OpenSSL (tls.c check_hostname):
/// <list type="bullet">
/// <item>an IPv4/IPv6 literal (inet_pton) is compared with iPAddress SANs only, as bytes; any other name
/// with dNSName SANs only;</item>
/// <item>when no SAN matched, the LAST CN of the subject is compared as well (always, SANs or not);</item>
/// <item>names are compared exactly, ASCII case-insensitively: FreeTDS hands the certificate's name to its
/// wildcard matcher as the host, so a wildcard certificate never matches; names with an embedded NUL
/// never match.</item>
/// </list>
/// </summary>
internal sealed class FreeTdsHostNameMatcher : IHostNameMatcher
{
    public static FreeTdsHostNameMatcher Instance { get; } = new();

    public string Name => "freetds";

    public HostNameMatchResult Match(X509Certificate2 certificate, string hostName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentException.ThrowIfNullOrEmpty(hostName);

        var ip = ParseIp(hostName);
        var host = Encoding.UTF8.GetBytes(hostName);
        var examined = new List<string>();
        foreach (var san in CertificateNames.ReadSubjectAltNames(certificate))
        {
            if (ip is null && san.Kind == SubjectAltNameKind.Dns)
            {
                examined.Add("DNS:" + Encoding.UTF8.GetString(san.Value.Span));
                if (NameMatches(san.Value.Span, host))
                {
                    return Matched(examined, hostName);
                }
            }
            else if (ip is not null && san.Kind == SubjectAltNameKind.IPAddress)
            {
                examined.Add("IP:" + InetAddress.Format(san.Value.Span));
                if (san.Value.Span.SequenceEqual(ip))
                {
                    return Matched(examined, hostName);
                }
            }
        }

        // FreeTDS always falls back to the last CN, even when SANs of the host's type exist.
        if (CertificateNames.ReadLastCommonName(certificate) is { } cn)
        {
            examined.Add("CN:" + Encoding.UTF8.GetString(cn));
            if (NameMatches(cn, host))
            {
                return Matched(examined, hostName);
            }
        }

        return Mismatch(examined, hostName, "FreeTDS (OpenSSL) rules: exact names only, wildcard certificates never match; the last CN is always tried");
    }

    /// <summary>inet_pton(AF_INET6) for a name with ':', else inet_pton(AF_INET); null for a DNS name.</summary>
    internal static byte[]? ParseIp(string hostName) =>
        hostName.Contains(':', StringComparison.Ordinal)
            ? InetAddress.TryInetPton6(hostName, out var v6) ? v6 : null
            : InetAddress.TryInetPton4(hostName, out var v4) ? v4 : null;

    private static bool NameMatches(ReadOnlySpan<byte> name, ReadOnlySpan<byte> host) =>
        !name.Contains((byte)0) && LibpqHostNameMatcher.AsciiEqualsIgnoreCase(name, host);

    private static HostNameMatchResult Matched(List<string> examined, string hostName)
    {
        var last = examined[^1];
        return new HostNameMatchResult(true, null, $"server certificate name \"{last[(last.IndexOf(':', StringComparison.Ordinal) + 1)..]}\" matches host name \"{hostName}\"", examined);
    }

    /// <summary>The failure shared by the FreeTDS matchers.</summary>
    internal static HostNameMatchResult Mismatch(List<string> examined, string hostName, string rules)
    {
        if (examined.Count == 0)
        {
            return new HostNameMatchResult(false, FindingCodes.CertNoHostName, $"the server certificate names no host to compare with \"{hostName}\" ({rules})", examined);
        }

        return new HostNameMatchResult(false, FindingCodes.CertHostnameMismatch, $"server certificate does not match host name \"{hostName}\": it is valid for {string.Join(", ", examined)} ({rules})", examined);
    }
}

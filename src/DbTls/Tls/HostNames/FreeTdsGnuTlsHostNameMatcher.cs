using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DbTls.Tls.HostNames;

/// <summary>
/// FreeTDS built with GnuTLS (Debian and Ubuntu packages): gnutls_x509_crt_check_hostname, RFC 6125:
/// <list type="bullet">
/// <item>an IPv4/IPv6 literal (inet_pton) is compared with iPAddress SANs only, as bytes;</item>
/// <item>any other name with dNSName SANs, and with the CN only when the certificate has no dNSName SAN;</item>
/// <item>ASCII case-insensitive; <c>*</c> only as the whole left-most label and only for names of three or
/// more labels (<c>*.example.com</c> yes, <c>*.com</c> and <c>db*.example.com</c> never); names with an
/// embedded NUL never match.</item>
/// </list>
/// </summary>
internal sealed class FreeTdsGnuTlsHostNameMatcher : IHostNameMatcher
{
    public static FreeTdsGnuTlsHostNameMatcher Instance { get; } = new();

    public string Name => "freetds-gnutls";

    public HostNameMatchResult Match(X509Certificate2 certificate, string hostName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentException.ThrowIfNullOrEmpty(hostName);

        var ip = FreeTdsHostNameMatcher.ParseIp(hostName);
        var host = Encoding.UTF8.GetBytes(hostName);
        var sans = CertificateNames.ReadSubjectAltNames(certificate);
        var examined = new List<string>();
        string? matched = null;
        if (ip is not null)
        {
            foreach (var san in sans.Where(s => s.Kind == SubjectAltNameKind.IPAddress))
            {
                examined.Add("IP:" + InetAddress.Format(san.Value.Span));
                matched ??= san.Value.Span.SequenceEqual(ip) ? InetAddress.Format(san.Value.Span) : null;
            }
        }
        else
        {
            foreach (var san in sans.Where(s => s.Kind == SubjectAltNameKind.Dns))
            {
                var name = Encoding.UTF8.GetString(san.Value.Span);
                examined.Add("DNS:" + name);
                matched ??= NameMatches(san.Value.Span, host) ? name : null;
            }

            if (examined.Count == 0 && CertificateNames.ReadFirstCommonName(certificate) is { } cn)
            {
                var name = Encoding.UTF8.GetString(cn);
                examined.Add("CN:" + name);
                matched ??= NameMatches(cn, host) ? name : null;
            }
        }

        if (matched is not null)
        {
            return new HostNameMatchResult(true, null, $"server certificate name \"{matched}\" matches host name \"{hostName}\"{(ip is null ? "" : " (the host is an IP address)")}", examined);
        }

        var rules = ip is null
            ? "FreeTDS (GnuTLS) rules: RFC 6125, the CN only without a dNSName SAN, \"*\" only as a whole left-most label"
            : "FreeTDS (GnuTLS) rules: an IP address host is compared with iPAddress SANs only";
        return FreeTdsHostNameMatcher.Mismatch(examined, hostName, rules);
    }

    /// <summary>Exact (ASCII case-insensitive), or "*.rest" standing for exactly one non-empty label of a host with three or more labels.</summary>
    internal static bool NameMatches(ReadOnlySpan<byte> name, ReadOnlySpan<byte> host)
    {
        if (name.Contains((byte)0))
        {
            return false;
        }

        if (LibpqHostNameMatcher.AsciiEqualsIgnoreCase(name, host))
        {
            return true;
        }

        if (name.Length < 3 || name[0] != (byte)'*' || name[1] != (byte)'.' || name[1..].Contains((byte)'*'))
        {
            return false;
        }

        var dot = host.IndexOf((byte)'.');
        if (dot <= 0 || host.Count((byte)'.') < 2)
        {
            return false; // the wildcard needs a non-empty label and the name three or more labels
        }

        return LibpqHostNameMatcher.AsciiEqualsIgnoreCase(name[1..], host[dot..]);
    }
}

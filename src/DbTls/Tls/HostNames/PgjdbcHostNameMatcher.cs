using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Tls.HostNames;

/// <summary>
/// pgjdbc's PGjdbcHostnameVerifier (42.x), the rules <see cref="HostNameRules.Pgjdbc"/> describes. It differs from
/// libpq in three ways users meet: an IP SAN is compared as Java prints it (so an IPv6 host in brackets never
/// matches), an iPAddress SAN does not stop the CN fallback (only a dNSName SAN does), and the wildcard only needs
/// the host part it covers to hold no dot (<c>*.com</c> covers <c>example.com</c>).
/// </summary>
internal sealed class PgjdbcHostNameMatcher : IHostNameMatcher
{
    public static PgjdbcHostNameMatcher Instance { get; } = new();

    public string Name => "pgjdbc";

    public HostNameMatchResult Match(X509Certificate2 certificate, string hostName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentException.ThrowIfNullOrEmpty(hostName);

        var host = hostName.Length > 1 && hostName[0] == '[' && hostName[^1] == ']' ? hostName[1..^1] : IdnAscii(hostName);
        var examined = new List<string>();
        if (host is null)
        {
            return new HostNameMatchResult(false, FindingCodes.CertHostnameMismatch, $"Hostname {hostName} is invalid (IDN.toASCII refuses it)", examined);
        }

        var anyDnsSan = false;
        foreach (var san in CertificateNames.ReadSubjectAltNames(certificate))
        {
            var name = san.Kind switch
            {
                SubjectAltNameKind.Dns => Encoding.ASCII.GetString(san.Value.Span),
                SubjectAltNameKind.IPAddress => JdbcHostNameMatcher.JavaText(san.Value.Span),
                _ => null,
            };
            if (name is null)
            {
                continue;
            }

            anyDnsSan |= san.Kind == SubjectAltNameKind.Dns;
            examined.Add($"{(san.Kind == SubjectAltNameKind.Dns ? "DNS" : "IP")}:{name}");
            if (VerifyHostName(host, name))
            {
                return new HostNameMatchResult(true, null, $"server certificate name \"{name}\" matches host name \"{host}\"", examined);
            }
        }

        if (anyDnsSan)
        {
            return Mismatch(hostName, examined, "certificate has dNSName subjectAltNames, but none of them match");
        }

        var commonName = CertificateNames.ReadCommonNames(certificate)
            .Select(cn => Encoding.UTF8.GetString(cn))
            .OrderBy(cn => cn.Count(c => c == '.'))
            .ThenByDescending(cn => cn.Count(c => c == '*'))
            .ThenBy(cn => cn.Length)
            .LastOrDefault();
        if (commonName is null)
        {
            return new HostNameMatchResult(false, FindingCodes.CertNoHostName,
                $"certificate for hostname {hostName} has no DNS subjectAltNames, and its CommonName is missing as well", examined);
        }

        examined.Add($"CN:{commonName}");
        return VerifyHostName(host, commonName)
            ? new HostNameMatchResult(true, null, $"server certificate name \"{commonName}\" (CN) matches host name \"{host}\"", examined)
            : Mismatch(hostName, examined, $"hostname {hostName} does not match common name {commonName}");
    }

    /// <summary>PGjdbcHostnameVerifier.verifyHostName: equality ignoring case, or a leading-<c>*</c> pattern whose star covers no dot.</summary>
    internal static bool VerifyHostName(string hostName, string pattern)
    {
        var lastStar = pattern.LastIndexOf('*');
        if (lastStar == -1)
        {
            return hostName.Equals(pattern, StringComparison.OrdinalIgnoreCase);
        }

        if (lastStar > 0 || !pattern.Contains('.', StringComparison.Ordinal) || hostName.Length < pattern.Length - 1)
        {
            return false;
        }

        var offset = hostName.Length - pattern.Length + 1;
        return hostName.AsSpan(0, offset).IndexOf('.') < 0
            && hostName.AsSpan(offset).Equals(pattern.AsSpan(1), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>java.net.IDN.toASCII: ASCII names unchanged (not lower-cased), others Punycode-encoded; null when refused.</summary>
    private static string? IdnAscii(string hostName)
    {
        if (Ascii.IsValid(hostName))
        {
            return hostName;
        }

        try
        {
            return new IdnMapping().GetAscii(hostName);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static HostNameMatchResult Mismatch(string hostName, List<string> examined, string why) =>
        new(false, FindingCodes.CertHostnameMismatch,
            $"The hostname {hostName} could not be verified by hostnameverifier PgjdbcHostnameVerifier: {why} (names: {string.Join(", ", examined)})",
            examined);
}

using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Tls.HostNames;

/// <summary>
/// Microsoft JDBC Driver for SQL Server 13.3.1+ (SQLServerCertificateUtils.validateServerNameInCertificate):
/// <list type="number">
/// <item>the host (<c>hostNameInCertificate</c> or <c>serverName</c>) is lower-cased;</item>
/// <item>the subject's first CN in DER order, lower-cased, is tried first, and a match ends the check;</item>
/// <item>then every dNSName SAN (lower-cased), then every iPAddress SAN in Java's textual form
/// (IPv6 uncompressed, <c>0:0:0:0:0:0:0:1</c>; IPv4-mapped IPv6 as dotted IPv4) by case-insensitive equality;</item>
/// <item>a name with <c>*</c> (not starting <c>xn--</c>) is a pattern: <c>*</c> matches any run within the
/// first label, and the host needs at least two dots.</item>
/// </list>
/// </summary>
internal sealed class JdbcHostNameMatcher : IHostNameMatcher
{
    public static JdbcHostNameMatcher Instance { get; } = new();

    public string Name => "jdbc";

    public HostNameMatchResult Match(X509Certificate2 certificate, string hostName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentException.ThrowIfNullOrEmpty(hostName);

        var host = hostName.ToLowerInvariant();
        var candidates = new List<(string Kind, string Name, bool Pattern)>();
        if (CertificateNames.ReadFirstCommonName(certificate) is { } cn)
        {
            candidates.Add(("CN", Encoding.UTF8.GetString(cn).ToLowerInvariant(), true));
        }

        var sans = CertificateNames.ReadSubjectAltNames(certificate);
        candidates.AddRange(sans.Where(s => s.Kind == SubjectAltNameKind.Dns)
            .Select(s => ("DNS", Encoding.ASCII.GetString(s.Value.Span).ToLowerInvariant(), true)));
        candidates.AddRange(sans.Where(s => s.Kind == SubjectAltNameKind.IPAddress && JavaText(s.Value.Span) is not null)
            .Select(s => ("IP", JavaText(s.Value.Span)!, false)));

        var examined = new List<string>();
        foreach (var (kind, name, pattern) in candidates)
        {
            examined.Add($"{kind}:{name}");
            var ok = pattern ? ValidateServerName(name, host) : string.Equals(name, host, StringComparison.OrdinalIgnoreCase);
            if (ok)
            {
                var why = kind == "CN" && sans.Count > 0 ? "; the CN is tried before the SANs" : "";
                return new HostNameMatchResult(true, null, $"server certificate name \"{name}\" ({kind}) matches host name \"{host}\"{why}", examined);
            }
        }

        if (examined.Count == 0)
        {
            return new HostNameMatchResult(false, FindingCodes.CertNoHostName, $"the server certificate names no host to compare with \"{host}\" (no CN and no dNSName or iPAddress SAN)", examined);
        }

        var message = $"The name of the server certificate does not match \"{host}\": it is valid for {string.Join(", ", examined)} (JDBC rules: CN first, then SANs; IPv6 SANs in Java's uncompressed form)";
        return new HostNameMatchResult(false, FindingCodes.CertHostnameMismatch, message, examined);
    }

    /// <summary>
    /// SQLServerCertificateUtils.validateServerName: exact equality, or for a name with '*' (and no
    /// "xn--" prefix) a backtracking match where '*' only spans characters of the host's first label,
    /// and the host must contain at least two dots.
    /// </summary>
    internal static bool ValidateServerName(string nameInCert, string hostName)
    {
        if (nameInCert.StartsWith("xn--", StringComparison.Ordinal) || !nameInCert.Contains('*', StringComparison.Ordinal))
        {
            return string.Equals(nameInCert, hostName, StringComparison.Ordinal);
        }

        int hostIndex = 0, certIndex = 0, match = 0, startIndex = -1, periodCount = 0;
        while (hostIndex < hostName.Length)
        {
            if (hostName[hostIndex] == '.')
            {
                periodCount++;
            }

            if (certIndex < nameInCert.Length && hostName[hostIndex] == nameInCert[certIndex])
            {
                hostIndex++;
                certIndex++;
            }
            else if (certIndex < nameInCert.Length && nameInCert[certIndex] == '*')
            {
                startIndex = certIndex;
                match = hostIndex;
                certIndex++;
            }
            else if (startIndex != -1 && periodCount == 0)
            {
                certIndex = startIndex + 1;
                match++;
                hostIndex = match;
            }
            else
            {
                return false;
            }
        }

        return certIndex == nameInCert.Length && periodCount > 1;
    }

    /// <summary>
    /// How Java's IPAddressName prints an iPAddress SAN: dotted IPv4; IPv6 as eight lower-case hex
    /// groups without compression (an IPv4-mapped address comes back from InetAddress.getByAddress as
    /// IPv4); other lengths are not addresses.
    /// </summary>
    internal static string? JavaText(ReadOnlySpan<byte> address)
    {
        if (address.Length == 4)
        {
            return InetAddress.Format(address);
        }

        if (address.Length != 16)
        {
            return null;
        }

        if (address[..10].IndexOfAnyExcept((byte)0) < 0 && address[10] == 0xFF && address[11] == 0xFF)
        {
            return InetAddress.Format(address[12..]);
        }

        var groups = new string[8];
        for (var i = 0; i < 8; i++)
        {
            groups[i] = ((address[2 * i] << 8) | address[(2 * i) + 1]).ToString("x", CultureInfo.InvariantCulture);
        }

        return string.Join(':', groups);
    }
}

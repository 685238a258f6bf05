using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace DbTls.Tls.HostNames;

/// <summary>
/// The name check <c>SslStream.AuthenticateAsClient(targetHost)</c> runs on Linux before it reports
/// <c>RemoteCertificateNameMismatch</c> (.NET 10: CertificateValidation.Unix calls the native shim, which uses
/// OpenSSL's <c>X509_check_host</c> with <c>X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS</c> for names and its own
/// iPAddress comparison for IP literals). It is not <see cref="X509Certificate2.MatchesHostname"/>; the two
/// disagree in corners, and SqlClient's first step is this one. Measured against the real SslStream in
/// SqlClientSslStreamCrossCheckTests:
/// <list type="bullet">
/// <item>A host that <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> accepts (including forms such as
/// <c>127.1</c>): iPAddress SANs by byte equality; when none matches, every subject CN compared with the host
/// as written, ASCII case-insensitively, even when iPAddress SANs exist.</item>
/// <item>Any other host, after IDNA to ASCII (a name IDNA rejects makes SslStream throw, so it never matches):
/// dNSName SANs only when the certificate has at least one; the subject CNs only when it has none (an iPAddress
/// SAN does not count). Names compare ASCII case-insensitively; a pattern may hold one <c>*</c> that is the whole
/// first label, not in an <c>xn--</c> label, followed by at least two more labels, and it matches one
/// non-empty label of letters, digits and hyphens. CNs follow the same wildcard rules as SANs.</item>
/// </list>
/// </summary>
internal static class SslStreamHostNameCheck
{
    private static readonly IdnMapping Idn = new();

    public static bool Matches(X509Certificate2 certificate, string hostName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (string.IsNullOrEmpty(hostName))
        {
            return false;
        }

        if (IPAddress.TryParse(hostName, out var address))
        {
            return MatchesAddress(certificate, address.GetAddressBytes(), hostName);
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(hostName);
        }
        catch (ArgumentException)
        {
            return false; // SslStream throws out of the handshake: the connection fails, so nothing matched.
        }

        return MatchesDnsName(certificate, System.Text.Encoding.ASCII.GetBytes(ascii));
    }

    private static bool MatchesAddress(X509Certificate2 certificate, byte[] address, string hostName)
    {
        foreach (var san in CertificateNames.ReadSubjectAltNames(certificate))
        {
            if (san.Kind == SubjectAltNameKind.IPAddress && san.Value.Span.SequenceEqual(address))
            {
                return true;
            }
        }

        var host = System.Text.Encoding.UTF8.GetBytes(hostName);
        return CertificateNames.ReadCommonNames(certificate).Any(cn => EqualsIgnoringAsciiCase(cn, host));
    }

    private static bool MatchesDnsName(X509Certificate2 certificate, byte[] host)
    {
        var dnsNames = CertificateNames.ReadSubjectAltNames(certificate).Where(s => s.Kind == SubjectAltNameKind.Dns).ToList();
        if (dnsNames.Count > 0)
        {
            return dnsNames.Any(s => MatchesPattern(s.Value.Span, host));
        }

        return CertificateNames.ReadCommonNames(certificate).Any(cn => MatchesPattern(cn, host));
    }

    /// <summary>One certificate name against the host: a valid wildcard pattern, else exact (ASCII case-insensitive) equality.</summary>
    internal static bool MatchesPattern(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> host)
    {
        if (pattern.IsEmpty)
        {
            return false;
        }

        // A host starting with '.' is a sub-domain pattern to OpenSSL and never meets a wildcard.
        var star = host.Length > 1 && host[0] == '.' ? -1 : WildcardPosition(pattern);
        if (star < 0)
        {
            return EqualsIgnoringAsciiCase(pattern, host);
        }

        // The star is the whole first label: it must match one non-empty label of [A-Za-z0-9-].
        var suffix = pattern[1..];
        if (host.Length <= suffix.Length || !EqualsIgnoringAsciiCase(host[^suffix.Length..], suffix))
        {
            return false;
        }

        var label = host[..^suffix.Length];
        foreach (var c in label)
        {
            if (!(IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return label.Length == 1 && c == '*'; // the wildcard may match a literal '*'
            }
        }

        return true;
    }

    /// <summary>
    /// 0 when <paramref name="pattern"/> is a wildcard OpenSSL accepts without partial wildcards (a lone
    /// <c>*</c> as the first label, no IDNA first label, at least two dots after it, labels of letters, digits
    /// and inner hyphens, no trailing dot); -1 otherwise, and the name compares literally.
    /// </summary>
    private static int WildcardPosition(ReadOnlySpan<byte> pattern)
    {
        if (pattern.IndexOf((byte)'*') != 0 || pattern.Length < 2 || pattern[1] != '.')
        {
            return -1;
        }

        var dots = 0;
        var labelStart = false;
        var lastWasHyphen = false;
        for (var i = 1; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '.')
            {
                if (labelStart || lastWasHyphen)
                {
                    return -1;
                }

                dots++;
                labelStart = true;
                lastWasHyphen = false;
            }
            else if (c == '-')
            {
                if (labelStart)
                {
                    return -1;
                }

                lastWasHyphen = true;
            }
            else if (IsAsciiLetterOrDigit(c))
            {
                labelStart = false;
                lastWasHyphen = false;
            }
            else
            {
                return -1; // a second '*' or any other byte
            }
        }

        return labelStart || lastWasHyphen || dots < 2 ? -1 : 0;
    }

    private static bool IsAsciiLetterOrDigit(byte c) => c is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9');

    private static bool EqualsIgnoringAsciiCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] == 0 || ToLower(a[i]) != ToLower(b[i]))
            {
                return false; // OpenSSL refuses a pattern with an embedded NUL
            }
        }

        return true;
    }

    private static byte ToLower(byte c) => c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c + 32) : c;
}

using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Tls.HostNames;

/// <summary>
/// libpq's host-name check (fe-secure-common.c, fe-secure-openssl.c):
/// <list type="bullet">
/// <item>the host is an IP address when inet_aton or inet_pton(AF_INET6) accepts it, else a DNS name;</item>
/// <item>every dNSName SAN is compared to the host string (even when the host is an IP), every
/// iPAddress SAN is compared as bytes (4-byte SANs with inet_aton(host), 16-byte with inet_pton);</item>
/// <item>a SAN of the host's own type disables the CN fallback; otherwise the first CN is compared as
/// a string, so an IP host is matched against the CN even when dNSName SANs exist;</item>
/// <item>wildcards: only a leading "*." that stands for exactly one label.</item>
/// </list>
/// Names are compared as bytes with ASCII case folding, like pg_strcasecmp.
/// </summary>
internal sealed class LibpqHostNameMatcher : IHostNameMatcher
{
    public static LibpqHostNameMatcher Instance { get; } = new();

    public string Name => "libpq";

    public HostNameMatchResult Match(X509Certificate2 certificate, string hostName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentException.ThrowIfNullOrEmpty(hostName);

        var host = Encoding.UTF8.GetBytes(hostName);
        var hostIsIp = InetAddress.IsIpAddress(hostName);
        var checkCn = true;
        var rc = 0;
        string? error = null;
        string? matched = null;
        var examined = new List<string>();

        foreach (var san in CertificateNames.ReadSubjectAltNames(certificate))
        {
            if (san.Kind == (hostIsIp ? SubjectAltNameKind.IPAddress : SubjectAltNameKind.Dns))
            {
                checkCn = false; // a SAN of the host's own type: the CN is never consulted
            }

            if (san.Kind == SubjectAltNameKind.Dns)
            {
                rc = MatchName(san.Value.Span, host, out var name, out error);
                Record(examined, name, "DNS");
                matched = rc == 1 ? name : matched;
            }
            else if (san.Kind == SubjectAltNameKind.IPAddress)
            {
                rc = MatchIp(san.Value.Span, hostName, out var name, out error);
                Record(examined, name, "IP");
                matched = rc == 1 ? name : matched;
            }

            if (rc != 0)
            {
                checkCn = false; // a match or an error: either way the CN is not used
                break;
            }
        }

        if (checkCn && CertificateNames.ReadFirstCommonName(certificate) is { } cn)
        {
            rc = MatchName(cn, host, out var name, out error);
            Record(examined, name, "CN");
            matched = rc == 1 ? name : matched;
        }

        var names = examined.AsReadOnly();
        if (rc == 1)
        {
            return new HostNameMatchResult(true, null, $"server certificate name \"{matched}\" matches host name \"{hostName}\"{(hostIsIp ? " (the host is an IP address)" : "")}", names);
        }

        if (rc < 0)
        {
            return new HostNameMatchResult(false, FindingCodes.CertHostnameMismatch, error ?? "host-name verification failed", names);
        }

        var first = examined.Count > 0 ? StripKind(examined[0]) : null;
        var message = examined.Count switch
        {
            0 => "could not get server's host name from server certificate",
            1 => $"server certificate for \"{first}\" does not match host name \"{hostName}\"",
            2 => $"server certificate for \"{first}\" (and 1 other name) does not match host name \"{hostName}\"",
            _ => string.Create(CultureInfo.InvariantCulture, $"server certificate for \"{first}\" (and {examined.Count - 1} other names) does not match host name \"{hostName}\""),
        };
        return new HostNameMatchResult(false, examined.Count == 0 ? FindingCodes.CertNoHostName : FindingCodes.CertHostnameMismatch, message, names);
    }

    /// <summary>pq_verify_peer_name_matches_certificate_name: 1 match, 0 no match, -1 error.</summary>
    internal static int MatchName(ReadOnlySpan<byte> name, ReadOnlySpan<byte> host, out string? display, out string? error)
    {
        error = null;
        display = null;
        if (name.Contains((byte)0))
        {
            // CVE-2009-4034: "a.example\0.evil.example" must never match anything.
            error = "SSL certificate's name contains embedded null";
            return -1;
        }

        display = Encoding.UTF8.GetString(name);
        return AsciiEqualsIgnoreCase(name, host) || WildcardMatch(name, host) ? 1 : 0;
    }

    /// <summary>pq_verify_peer_name_matches_certificate_ip.</summary>
    internal static int MatchIp(ReadOnlySpan<byte> address, string host, out string? display, out string? error)
    {
        error = null;
        display = null;
        byte[] parsed;
        bool ok;
        if (address.Length == 4)
        {
            ok = InetAddress.TryInetAton(host, out parsed);
        }
        else if (address.Length == 16)
        {
            ok = InetAddress.TryInetPton6(host, out parsed);
        }
        else
        {
            error = string.Create(CultureInfo.InvariantCulture, $"certificate contains IP address with invalid length {address.Length}");
            return -1;
        }

        display = InetAddress.Format(address);
        return ok && address.SequenceEqual(parsed) ? 1 : 0;
    }

    /// <summary>
    /// wildcard_certificate_match: the pattern starts with "*.", is at least 3 bytes, the host ends
    /// with the pattern minus '*', and no '.' lies left of where the pattern starts to match.
    /// </summary>
    internal static bool WildcardMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> host)
    {
        var lenpat = pattern.Length;
        var lenstr = host.Length;
        if (lenpat < 3 || pattern[0] != (byte)'*' || pattern[1] != (byte)'.')
        {
            return false;
        }

        if (lenpat > lenstr)
        {
            return false;
        }

        if (!AsciiEqualsIgnoreCase(pattern[1..], host[(lenstr - lenpat + 1)..]))
        {
            return false;
        }

        var firstDot = host.IndexOf((byte)'.');
        return firstDot >= lenstr - lenpat;
    }

    internal static bool AsciiEqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (Fold(a[i]) != Fold(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static byte Fold(byte c) => c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c + 32) : c;

    private static void Record(List<string> examined, string? name, string kind)
    {
        // libpq counts every name it examines, but an entry that errored has no printable name.
        if (name is not null)
        {
            examined.Add($"{kind}:{name}");
        }
    }

    private static string StripKind(string entry) => entry[(entry.IndexOf(':', StringComparison.Ordinal) + 1)..];
}

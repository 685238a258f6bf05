using System.Security.Cryptography.X509Certificates;
using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Tls.HostNames;

/// <summary>
/// Microsoft.Data.SqlClient's managed-SNI check (SniCommon.ValidateSslServerCertificate), in its two steps:
/// <list type="number">
/// <item>SslStream's own name check of the Data Source host, lower-cased (<see cref="SslStreamHostNameCheck"/>:
/// OpenSSL's X509_check_host rules, not MatchesHostname); when it matches, the certificate is accepted and
/// <c>HostNameInCertificate</c> is never looked at;</item>
/// <item>only after a mismatch, <see cref="X509Certificate2.MatchesHostname"/> with <c>HostNameInCertificate</c>
/// (the policy's expected name) when set, else the Data Source host again: RFC 6125 as .NET implements it
/// (SAN dNSName/iPAddress entries, the CN only without a SAN, <c>*</c> only as the whole left-most label).</item>
/// </list>
/// So a certificate passes when either primitive accepts the Data Source host (SqlClient's corners: a wildcard
/// CN without SANs, an IP host spelled in the CN next to other iPAddress SANs, a <c>*.com</c> SAN), measured
/// against real SqlClient in SqlClientHostNameCornerTests.
/// </summary>
internal sealed class SqlClientHostNameMatcher : IHostNameMatcher
{
    public static SqlClientHostNameMatcher Instance { get; } = new();

    public string Name => "sqlclient";

    /// <summary>Only one name known: it is both the Data Source host and the name checked in step 2.</summary>
    public HostNameMatchResult Match(X509Certificate2 certificate, string hostName)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        return Match(certificate, hostName, null);
    }

    public HostNameMatchResult Match(X509Certificate2 certificate, string? connectionHost, string? expectedHostName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (string.IsNullOrEmpty(connectionHost) && string.IsNullOrEmpty(expectedHostName))
        {
            throw new ArgumentException("a Data Source host or HostNameInCertificate is required", nameof(connectionHost));
        }

        var names = Names(certificate);
        if (!string.IsNullOrEmpty(connectionHost))
        {
            // Step 1: SslStream's own check of the Data Source host, which SqlClient lower-cases.
            var dataSource = connectionHost.ToLowerInvariant();
            if (MatchesDataSource(certificate, connectionHost))
            {
                var ignored = expectedHostName is null ? "" : $"; HostNameInCertificate \"{expectedHostName}\" is not consulted";
                return new HostNameMatchResult(true, null, $"server certificate matches the Data Source host \"{dataSource}\" ({Shown(names)}; SslStream's name check{ignored})", names);
            }
        }

        // Step 2: only after a name mismatch, MatchesHostname(HostNameInCertificate ?? Data Source).
        var name = expectedHostName ?? connectionHost!;
        if (Matches(certificate, name))
        {
            var how = expectedHostName is null ? "the Data Source host" : "HostNameInCertificate";
            return new HostNameMatchResult(true, null, $"server certificate matches {how} \"{name}\" ({Shown(names)}; X509Certificate2.MatchesHostname)", names);
        }

        if (names.Count == 0)
        {
            return new HostNameMatchResult(false, FindingCodes.CertNoHostName, $"the server certificate names no host to compare with \"{name}\" (no SAN and no CN)", names);
        }

        var what = expectedHostName is null || string.IsNullOrEmpty(connectionHost)
            ? $"does not match host name \"{name}\""
            : $"matches neither the Data Source host \"{connectionHost.ToLowerInvariant()}\" nor HostNameInCertificate \"{name}\"";
        var message = $"server certificate {what}: it is valid for {Shown(names)} (SqlClient: RFC 6125 rules as .NET applies them)";
        return new HostNameMatchResult(false, FindingCodes.CertHostnameMismatch, message, names);
    }

    /// <summary>
    /// Step 1 alone: whether SslStream, given the Data Source host as its target host, reports no name mismatch.
    /// </summary>
    public static bool MatchesDataSource(X509Certificate2 certificate, string dataSourceHost) =>
        SslStreamHostNameCheck.Matches(certificate, dataSourceHost.ToLowerInvariant());

    private static bool Matches(X509Certificate2 certificate, string name)
    {
        try
        {
            return certificate.MatchesHostname(name, allowWildcards: true, allowCommonName: true);
        }
        catch (ArgumentException)
        {
            return false; // a name .NET cannot even parse matches nothing
        }
    }

    private static List<string> Names(X509Certificate2 certificate)
    {
        var names = CertificateNames.ReadSubjectAltNames(certificate)
            .Where(s => s.Kind != SubjectAltNameKind.Other)
            .Select(s => s.Kind == SubjectAltNameKind.Dns ? "DNS:" + Encoding.UTF8.GetString(s.Value.Span) : "IP:" + InetAddress.Format(s.Value.Span))
            .ToList();
        if (CertificateNames.ReadFirstCommonName(certificate) is { } cn)
        {
            names.Add("CN:" + Encoding.UTF8.GetString(cn));
        }

        return names;
    }

    private static string Shown(List<string> names) => names.Count == 0 ? "no names" : string.Join(", ", names);
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Scan.Probe;

namespace DbTls.Scan.Profiles;

/// <summary>
/// Grades a scan against a profile: each kind of shortfall (a version, suites, groups, a missing version, the key)
/// becomes one finding with the remedy in the server's configuration language. No findings: the server meets it.
/// </summary>
internal static class ProfileGrader
{
    public static List<Finding> Grade(ScanProfile profile, ScanReport report, IReadOnlyList<VersionResult> versions, ScanProtocol protocol)
    {
        var findings = new List<Finding>();
        var accepted = versions.Where(v => v.Accepted).ToArray();
        var forbidden = accepted.Select(v => v.Version).Where(v => !profile.AllowedVersions.Contains(v)).ToArray();
        if (forbidden.Length > 0)
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ScanProfileVersion,
                $"{profile.Guideline} allows {Join(profile.AllowedVersions.Order().Select(TlsVersions.Name))}; the server also accepts {Join(forbidden.Select(TlsVersions.Name))}",
                ProfileRemedies.Versions(protocol, profile, forbidden)));
        }

        foreach (var missing in profile.RequiredVersions.Order().Where(v => accepted.All(a => a.Version != v)))
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ScanProfileMissingVersion,
                $"{profile.Guideline} requires {TlsVersions.Name(missing)}, which the server does not accept",
                ProfileRemedies.MissingVersion(protocol, missing)));
        }

        // Suites of a version the profile forbids are already covered by the version finding.
        var suites = accepted.Where(v => profile.AllowedVersions.Contains(v.Version))
            .SelectMany(v => v.Suites.Select(CipherSuite.Of)).Where(s => !profile.Allows(s)).Select(s => s.Name).Distinct(StringComparer.Ordinal).ToArray();
        if (suites.Length > 0)
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ScanProfileCipher,
                $"{suites.Length} accepted suite(s) outside {profile.Guideline}: {Join(suites)}", ProfileRemedies.Suites(protocol, profile)));
        }

        if (profile.AllowedGroups is { } allowedGroups)
        {
            var groups = report.Versions.Where(v => v.Accepted && TlsVersions.TryParse(v.Version, out var id) && profile.AllowedVersions.Contains(id))
                .SelectMany(v => v.Groups).Where(g => !allowedGroups.Contains(g)).Distinct(StringComparer.Ordinal).ToArray();
            if (groups.Length > 0)
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ScanProfileGroup,
                    $"accepted group(s) outside {profile.Guideline}: {Join(groups)}", ProfileRemedies.Groups(protocol, profile)));
            }
        }

        var leaf = accepted.LastOrDefault(v => v.First.Certificates.Count > 0)?.First.Certificates[0];
        if (leaf is not null && RsaBits(leaf) is { } bits && bits < profile.MinimumRsaBits)
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ScanProfileKey,
                $"{profile.Guideline} asks for RSA keys of at least {profile.MinimumRsaBits} bits; the server certificate's is {bits}", ProfileRemedies.Key(protocol, profile)));
        }

        return findings;
    }

    private static int? RsaBits(byte[] der)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            using var rsa = certificate.GetRSAPublicKey();
            return rsa?.KeySize;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static string Join(IEnumerable<string> names) => string.Join(", ", names);
}

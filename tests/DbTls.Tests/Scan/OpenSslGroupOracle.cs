using System.Globalization;
using System.Net;
using DbTls.Scan;
using DbTls.Scan.Probe;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Scan;

/// <summary>
/// Which key-exchange groups a server accepts, as openssl s_client finds them: one full handshake per (version, group)
/// with only that group offered (TLS 1.2: with every ECDHE suite OpenSSL knows, so the group is what decides). One
/// exception: under TLS 1.2 the offered curves also bind an ECDSA certificate (RFC 8422 5.1), so a server with a P-256
/// certificate refuses a client that offers X25519 alone, although it uses X25519 for a client that offers both. There
/// the probe offers the certificate's curve too, and the group counts when the server's temporary key is of it.
/// </summary>
internal static class OpenSslGroupOracle
{
    /// <summary>Asks for every group dbtls' scan knows, for each TLS 1.2/1.3 version the report says is accepted.</summary>
    public static async Task<ISet<(string Version, string Group)>> AcceptedAsync(IPEndPoint endpoint, ScanReport report, bool postgres)
    {
        var accepted = new HashSet<(string, string)>();
        foreach (var version in report.Versions.Where(v => v.Accepted && v.Version is "TLSv1.2" or "TLSv1.3"))
        {
            var tls13 = version.Version == "TLSv1.3";
            foreach (var group in NamedGroup.Known.Where(g => tls13 || !g.IsFiniteField))
            {
                var alsoCertificateCurve = !tls13 && CertificateCurve(report) is { } curve && curve != OpenSslName(group) ? curve : null;
                var groups = alsoCertificateCurve is null ? OpenSslName(group) : $"{OpenSslName(group)}:{alsoCertificateCurve}";
                var arguments = new List<string> { "s_client", "-connect", $"{endpoint.Address}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}", tls13 ? "-tls1_3" : "-tls1_2", "-groups", groups };
                if (!tls13)
                {
                    arguments.AddRange(["-cipher", "ECDHE:@SECLEVEL=0"]);
                }

                if (postgres)
                {
                    arguments.AddRange(["-starttls", "postgres"]);
                }

                var run = await ProcessRunner.RunAsync("openssl", arguments, TimeSpan.FromSeconds(30));
                var tempKey = run.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith("Server Temp Key:", StringComparison.Ordinal));
                if (run.ExitCode == 0 && tempKey is not null && (alsoCertificateCurve is null || tempKey.Contains(TempKeyName(group), StringComparison.Ordinal)))
                {
                    accepted.Add((version.Version, group.Name));
                }
            }
        }

        return accepted;
    }

    /// <summary>The curve of an ECDSA server certificate in OpenSSL's group name ("ECDSA nistP256" → "P-256"), else null.</summary>
    private static string? CertificateCurve(ScanReport report) =>
        report.Certificates.FirstOrDefault()?.Key is not { } key || !key.StartsWith("ECDSA ", StringComparison.Ordinal) ? null
        : key.EndsWith("256", StringComparison.Ordinal) ? "P-256"
        : key.EndsWith("384", StringComparison.Ordinal) ? "P-384"
        : key.EndsWith("521", StringComparison.Ordinal) ? "P-521"
        : null;

    /// <summary>How s_client's "Server Temp Key:" line names the group.</summary>
    private static string TempKeyName(NamedGroup group) => group.Name switch
    {
        "x25519" => "X25519",
        "x448" => "X448",
        "secp256r1" => "prime256v1",
        _ => group.Name,
    };

    private static string OpenSslName(NamedGroup group) => group.Name switch
    {
        "x25519" => "X25519",
        "x448" => "X448",
        "secp256r1" => "P-256",
        "secp384r1" => "P-384",
        "secp521r1" => "P-521",
        _ => group.Name,
    };
}

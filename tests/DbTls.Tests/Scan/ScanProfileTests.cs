using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Scan;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Scan;

/// <summary>Grading real openssl s_server configurations against the profiles, and the exit code as a CI gate.</summary>
[Trait("Category", "Integration")]
public sealed class ScanProfileTests(LocalhostCertificateFixture certificate) : IClassFixture<LocalhostCertificateFixture>
{
    [Fact]
    public async Task A_tls13_only_server_with_mozilla_groups_meets_modern_and_fails_nist_for_chacha_x25519_and_no_tls12()
    {
        await using var server = await ScanOpenSslServer.StartAsync(certificate.Leaf, "-tls1_3", "-groups", "X25519:P-256:P-384");

        var modern = await ScanAsync(server, "mozilla-modern");
        var nist = await ScanAsync(server, "nist");

        Assert.True(modern.Profile!.Met, string.Join("; ", modern.Findings.Select(f => f.Message)));
        Assert.Equal(ExitCodes.Ok, modern.ExitCode);
        Assert.DoesNotContain(modern.Findings, f => f.Code.StartsWith("scan.profile-", StringComparison.Ordinal));
        Assert.False(nist.Profile!.Met);
        Assert.Equal(ExitCodes.Rejected, nist.ExitCode);
        Assert.Contains("TLS_CHACHA20_POLY1305_SHA256", Single(nist, FindingCodes.ScanProfileCipher).Message, StringComparison.Ordinal);
        Assert.Contains("x25519", Single(nist, FindingCodes.ScanProfileGroup).Message, StringComparison.Ordinal);
        Assert.Contains("TLSv1.2", Single(nist, FindingCodes.ScanProfileMissingVersion).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Static_rsa_and_cbc_fail_intermediate_but_meet_rfc8996_which_only_asks_for_tls12_or_later()
    {
        await using var server = await ScanOpenSslServer.StartAsync(certificate.Leaf, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA");

        var intermediate = await ScanAsync(server, "mozilla-intermediate");
        var rfc8996 = await ScanAsync(server, "rfc8996");

        var cipher = Single(intermediate, FindingCodes.ScanProfileCipher);
        Assert.Contains("TLS_RSA_WITH_AES_128_CBC_SHA", cipher.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", cipher.Message, StringComparison.Ordinal);
        Assert.Contains("Restrict the server's cipher list", cipher.Remedy, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Rejected, intermediate.ExitCode);
        Assert.True(rfc8996.Profile!.Met);
        // The general advice (CBC, no forward secrecy) is still reported, but the gate is the profile.
        Assert.Contains(rfc8996.Findings, f => f.Code == FindingCodes.ScanNoForwardSecrecy);
        Assert.Equal(ExitCodes.Ok, rfc8996.ExitCode);
    }

    [Fact]
    public async Task A_server_that_still_speaks_tls10_fails_rfc8996_with_the_version_named()
    {
        await using var server = await ScanOpenSslServer.StartAsync(certificate.Leaf, "-tls1", "-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0");

        var report = await ScanAsync(server, "rfc8996");

        Assert.Contains(report.Versions, v => v.Version == "TLSv1.0" && v.Accepted);
        Assert.Contains("TLSv1.0", Single(report, FindingCodes.ScanProfileVersion).Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Rejected, report.ExitCode);
    }

    [Fact]
    public async Task An_unknown_profile_is_invalid_input_before_any_connection()
    {
        var error = await Assert.ThrowsAsync<DbTlsException>(() =>
            TlsScanner.ScanAsync("127.0.0.1", 1, new ScanOptions { Protocol = ScanProtocol.Tls, Profile = "pci" }, CancellationToken.None));

        Assert.Equal(FindingCodes.ConfigInvalid, error.Code);
        Assert.Equal(ExitCodes.InvalidInput, FindingCatalog.ExitCodeFor(error.Code));
    }

    private static Task<ScanReport> ScanAsync(ScanOpenSslServer server, string profile) =>
        TlsScanner.ScanAsync("127.0.0.1", server.EndPoint.Port, new ScanOptions { Protocol = ScanProtocol.Tls, Profile = profile }, CancellationToken.None);

    private static FindingReport Single(ScanReport report, string code) => Assert.Single(report.Findings, f => f.Code == code);
}

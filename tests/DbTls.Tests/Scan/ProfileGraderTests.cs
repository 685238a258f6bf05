using DbTls.Diagnostics;
using DbTls.Scan;
using DbTls.Scan.Probe;
using DbTls.Scan.Profiles;

namespace DbTls.Tests.Scan;

/// <summary>The profiles as data, and remedies written in each server's configuration language.</summary>
public sealed class ProfileGraderTests
{
    [Fact]
    public void Every_suite_a_profile_names_is_a_suite_the_probe_knows_and_every_group_a_group_it_reports()
    {
        var known = CipherSuiteTable.All.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var groups = NamedGroup.Known.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(ScanProfiles.Names.Order(StringComparer.Ordinal), ScanProfiles.All.Keys.Order(StringComparer.Ordinal));
        foreach (var profile in ScanProfiles.All.Values)
        {
            Assert.All(profile.AllowedSuites ?? new HashSet<string>(), s => Assert.Contains(s, known));
            Assert.All(profile.AllowedGroups ?? new HashSet<string>(), g => Assert.Contains(g, groups));
        }
    }

    [Theory]
    [InlineData(ScanProtocol.Postgres, "ssl_min_protocol_version = 'TLSv1.2'")]
    [InlineData(ScanProtocol.Mongo, "net.tls.disabledProtocols: TLS1_0,TLS1_1")]
    [InlineData(ScanProtocol.Tds, @"SCHANNEL\Protocols\TLS 1.0\Server")]
    [InlineData(ScanProtocol.TdsStrict, @"SCHANNEL\Protocols\TLS 1.1\Server")]
    public void A_forbidden_version_is_fixed_in_the_servers_own_setting(ScanProtocol protocol, string remedy)
    {
        var versions = new[] { Accepted(TlsVersions.Tls10, 0xC013), Accepted(TlsVersions.Tls11, 0xC013), Accepted(TlsVersions.Tls12, 0xC02F) };

        var findings = ProfileGrader.Grade(ScanProfiles.All["mozilla-intermediate"], new ScanReport(), versions, protocol);

        var finding = Assert.Single(findings);
        Assert.Equal(FindingCodes.ScanProfileVersion, finding.Code);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("TLSv1.0, TLSv1.1", finding.Message, StringComparison.Ordinal);
        Assert.Contains(remedy, finding.Remedy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ScanProtocol.Postgres, "ssl_ciphers = 'ECDHE-ECDSA-AES128-GCM-SHA256:")]
    [InlineData(ScanProtocol.Mongo, "opensslCipherConfig: 'ECDHE-ECDSA-AES128-GCM-SHA256:")]
    [InlineData(ScanProtocol.Tds, "SSL Cipher Suite Order")]
    public void A_suite_outside_the_profile_is_fixed_in_the_servers_cipher_setting(ScanProtocol protocol, string remedy)
    {
        var versions = new[] { Accepted(TlsVersions.Tls12, 0xC02F, 0x000A) };

        var finding = Assert.Single(ProfileGrader.Grade(ScanProfiles.All["mozilla-intermediate"], new ScanReport(), versions, protocol));

        Assert.Equal(FindingCodes.ScanProfileCipher, finding.Code);
        Assert.Contains("TLS_RSA_WITH_3DES_EDE_CBC_SHA", finding.Message, StringComparison.Ordinal);
        Assert.Contains(remedy, finding.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void A_group_outside_the_profile_names_ssl_groups_for_postgresql()
    {
        var report = new ScanReport { Versions = [new ScanVersionReport { Version = "TLSv1.3", Accepted = true, Groups = ["x25519", "x448"] }] };

        var finding = Assert.Single(ProfileGrader.Grade(ScanProfiles.All["mozilla-modern"], report, [Accepted(TlsVersions.Tls13, 0x1301)], ScanProtocol.Postgres));

        Assert.Equal(FindingCodes.ScanProfileGroup, finding.Code);
        Assert.Contains("x448", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("x25519", finding.Message, StringComparison.Ordinal);
        Assert.Contains("ssl_groups = 'X25519:prime256v1:secp384r1'", finding.Remedy, StringComparison.Ordinal);
    }

    private static VersionResult Accepted(ushort version, params ushort[] suites) =>
        new(version, suites, null, new ProbeReply { Kind = ProbeReplyKind.ServerHello, Version = version, Suite = suites[0] });
}

using DbTls.Diagnostics;
using DbTls.Scan;
using DbTls.Scan.Probe;

namespace DbTls.Tests.Scan;

/// <summary>The signature-algorithm scan's choices that need no server: which versions it scans, what is weak, the finding.</summary>
public sealed class SignatureAlgorithmScanTests
{
    [Theory]
    [InlineData(0x0001, true)] // rsa_pkcs1_nohash
    [InlineData(0x0101, true)] // rsa_pkcs1_md5
    [InlineData(0x0201, true)] // rsa_pkcs1_sha1
    [InlineData(0x0203, true)] // ecdsa_sha1
    [InlineData(0x0402, true)] // dsa_sha256
    [InlineData(0x0301, false)] // rsa_pkcs1_sha224
    [InlineData(0x0401, false)] // rsa_pkcs1_sha256
    [InlineData(0x0403, false)] // ecdsa_secp256r1_sha256
    [InlineData(0x0804, false)] // rsa_pss_rsae_sha256
    [InlineData(0x0807, false)] // ed25519
    [InlineData(0x080B, false)] // rsa_pss_pss_sha512
    public void Weak_means_no_hash_MD5_SHA1_or_DSA(int id, bool weak) =>
        Assert.Equal(weak, SignatureScheme.Of((ushort)id).IsWeak);

    [Fact]
    public void Every_known_scheme_has_a_distinct_code_point_and_name()
    {
        Assert.Equal(SignatureScheme.Known.Length, SignatureScheme.Known.Select(s => s.Id).Distinct().Count());
        Assert.Equal(SignatureScheme.Known.Length, SignatureScheme.Known.Select(s => s.Name).Distinct().Count());
        Assert.DoesNotContain(SignatureScheme.Known, s => s.Id == SignatureScheme.Unassigned.Id);
        Assert.Equal("0xFDFF", SignatureScheme.Of(0xFDFF).Name);
    }

    [Fact]
    public void TLS_1_3_and_the_highest_accepted_version_below_it_are_scanned()
    {
        var versions = new[] { Version(TlsVersions.Tls10, true), Version(TlsVersions.Tls11, false), Version(TlsVersions.Tls12, true), Version(TlsVersions.Tls13, true) };

        Assert.Equal([TlsVersions.Tls13, TlsVersions.Tls12], SignatureAlgorithmScan.VersionsToScan(versions).Select(v => v.Version));
    }

    [Fact]
    public void Without_TLS_1_2_the_highest_legacy_version_is_scanned_alone()
    {
        var versions = new[] { Version(TlsVersions.Tls10, true), Version(TlsVersions.Tls11, true), Version(TlsVersions.Tls12, false), Version(TlsVersions.Tls13, false) };

        Assert.Equal([TlsVersions.Tls11], SignatureAlgorithmScan.VersionsToScan(versions).Select(v => v.Version));
    }

    [Fact]
    public void A_server_that_accepts_nothing_gets_no_signature_probes()
    {
        var versions = new[] { Version(TlsVersions.Tls12, false), Version(TlsVersions.Tls13, false) };

        Assert.Empty(SignatureAlgorithmScan.VersionsToScan(versions));
    }

    [Fact]
    public void SHA1_accepted_with_TLS_1_2_is_a_weak_signature_finding_naming_only_the_weak_ones()
    {
        var report = Report(new ScanVersionReport { Version = "TLSv1.2", Accepted = true, SignatureAlgorithms = ["rsa_pkcs1_sha1", "rsa_pkcs1_sha256", "dsa_sha256"], AnySignatureAlgorithm = false });

        var finding = Assert.Single(ScanFindings.For(report, Accepted, ScanProtocol.Tls), f => f.Code == FindingCodes.ScanWeakSignature);

        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("TLSv1.2: rsa_pkcs1_sha1, dsa_sha256", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("rsa_pkcs1_sha256", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_accepts_an_unassigned_algorithm_is_reported_as_accepting_any()
    {
        var report = Report(new ScanVersionReport { Version = "TLSv1.0", Accepted = true, SignatureAlgorithms = [], AnySignatureAlgorithm = true });

        var finding = Assert.Single(ScanFindings.For(report, Accepted, ScanProtocol.Tls), f => f.Code == FindingCodes.ScanWeakSignature);

        Assert.Contains("TLSv1.0: any signature algorithm", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strong_algorithms_only_or_no_signature_scan_raise_nothing()
    {
        var strong = Report(new ScanVersionReport { Version = "TLSv1.3", Accepted = true, SignatureAlgorithms = ["rsa_pss_rsae_sha256", "ed25519"], AnySignatureAlgorithm = false });
        var unscanned = Report(new ScanVersionReport { Version = "TLSv1.2", Accepted = true });

        Assert.DoesNotContain(ScanFindings.For(strong, Accepted, ScanProtocol.Tls), f => f.Code == FindingCodes.ScanWeakSignature);
        Assert.DoesNotContain(ScanFindings.For(unscanned, Accepted, ScanProtocol.Tls), f => f.Code == FindingCodes.ScanWeakSignature);
    }

    /// <summary>One accepted version, so that the findings are about signatures and not about a server without TLS.</summary>
    private static readonly VersionResult[] Accepted = [Version(TlsVersions.Tls12, true)];

    private static ScanReport Report(ScanVersionReport version) => new() { Target = "127.0.0.1:1", Versions = [version] };

    private static VersionResult Version(ushort version, bool accepted) =>
        new(version, accepted ? [0x1301] : [], null, new ProbeReply { Kind = accepted ? ProbeReplyKind.ServerHello : ProbeReplyKind.Alert, Version = version });
}

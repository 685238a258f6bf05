using DbTls.Scan;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Scan;

/// <summary>
/// dbtls scan against real OpenSSL servers restricted in suites, versions and groups: the accepted (version, suite)
/// set, the per-version server order and the groups must equal what sslscan and nmap's ssl-enum-ciphers report
/// for the same server in the same run.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ScanVersusScannersTests : IClassFixture<LocalhostCertificateFixture>
{
    private readonly LocalhostCertificateFixture _certificate;

    public ScanVersusScannersTests(LocalhostCertificateFixture certificate) => _certificate = certificate;

    public static TheoryData<string, string[]> ServerOrderServers => new()
    {
        { "four suites, TLS 1.2 and 1.3", ["-serverpref", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:AES128-SHA:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES256-SHA256", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"] },
        { "legacy versions, two groups", ["-serverpref", "-cipher", "ECDHE-RSA-AES256-SHA:AES128-SHA:@SECLEVEL=0", "-min_protocol", "TLSv1", "-groups", "P-384:X25519"] },
        { "TLS 1.3 only", ["-serverpref", "-min_protocol", "TLSv1.3", "-ciphersuites", "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256", "-groups", "X448:P-521"] },
        { "TLS 1.2 only, OpenSSL defaults", ["-serverpref", "-max_protocol", "TLSv1.2"] },
    };

    [Theory]
    [MemberData(nameof(ServerOrderServers))]
    public async Task Accepted_suites_order_and_groups_equal_sslscan_and_nmap(string name, string[] arguments)
    {
        await using var server = await ScanOpenSslServer.StartAsync(_certificate.Leaf, arguments);

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.EndPoint.Port, new ScanOptions { Protocol = ScanProtocol.Tls }, CancellationToken.None);
        var dbtls = ScannerView.Of(report);
        var sslscan = await ExternalScanners.SslscanAsync(server.EndPoint);
        var nmap = await ExternalScanners.NmapAsync(server.EndPoint);

        Assert.True(dbtls.Set.Count > 0, name);
        Assert.Equal(Sorted(sslscan.Set), Sorted(dbtls.Set));
        Assert.Equal(Sorted(nmap.Set), Sorted(dbtls.Set));
        foreach (var (version, suites) in dbtls.Suites)
        {
            // sslscan lists each version's suites in the server's order when the server has one.
            Assert.Equal(sslscan.Suites[version], suites);
            if (suites.Count > 1)
            {
                Assert.Equal("server", report.Versions.Single(v => v.Version == version).Order);
                Assert.Equal("server", nmap.Preference[version]);
                Assert.Equal(nmap.Suites[version], suites);
            }
        }

        ScanProtocolComparison.SameGroups(sslscan.Groups!, report, "sslscan");
    }

    public static TheoryData<string, string[]> SignatureServers => new()
    {
        { "OpenSSL defaults, TLS 1.2 and 1.3", [] },
        { "three algorithms", ["-sigalgs", "rsa_pss_rsae_sha384:rsa_pkcs1_sha256:rsa_pkcs1_sha512"] },
        { "SHA-1 allowed at security level 0", ["-cipher", "DEFAULT:@SECLEVEL=0", "-max_protocol", "TLSv1.2"] },
        // Below TLS 1.2 there is no signature_algorithms extension to refuse: every offer is "accepted", as sslscan says.
        { "TLS 1.0 only", ["-cipher", "AES128-SHA:ECDHE-RSA-AES128-SHA:@SECLEVEL=0", "-min_protocol", "TLSv1", "-max_protocol", "TLSv1"] },
    };

    [Theory]
    [MemberData(nameof(SignatureServers))]
    public async Task Signature_algorithms_equal_sslscan_show_sigs(string name, string[] arguments)
    {
        await using var server = await ScanOpenSslServer.StartAsync(_certificate.Leaf, arguments);

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.EndPoint.Port, new ScanOptions { Protocol = ScanProtocol.Tls, SignatureAlgorithms = true }, CancellationToken.None);
        var sslscan = await ExternalScanners.SslscanAsync(server.EndPoint, signatures: true);

        var ours = ScannerView.Of(report).Signatures;
        Assert.NotNull(ours);
        Assert.True(ours.Count > 0, name);
        Assert.Equal(Sorted(sslscan.Signatures!), Sorted(ours));
    }

    /// <summary>The command line's flag reaches the JSON; DBTLS_SCAN_TRACE makes the CLI hand the scan a trace writer (standard error).</summary>
    [Fact]
    public async Task The_command_line_scans_signature_algorithms_on_request_and_traces_only_when_asked()
    {
        await using var server = await ScanOpenSslServer.StartAsync(_certificate.Leaf, "-max_protocol", "TLSv1.2");
        var target = $"127.0.0.1:{server.EndPoint.Port}";

        var traced = await DbTls.Tests.Cli.CliRun.RunAsync(["scan", target, "--protocol", "tls", "--signature-algorithms", "--format", "json"], new Dictionary<string, string> { ["DBTLS_SCAN_TRACE"] = "1" });
        var plain = await DbTls.Tests.Cli.CliRun.RunAsync(["scan", target, "--protocol", "tls", "--format", "json"], new Dictionary<string, string> { ["DBTLS_SCAN_TRACE"] = "0" });

        using var withSignatures = System.Text.Json.JsonDocument.Parse(traced.Stdout);
        using var without = System.Text.Json.JsonDocument.Parse(plain.Stdout);
        var tls12 = withSignatures.RootElement.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetString() == "TLSv1.2");
        Assert.Contains("rsa_pss_rsae_sha256", tls12.GetProperty("signatureAlgorithms").EnumerateArray().Select(e => e.GetString()));
        Assert.False(tls12.GetProperty("anySignatureAlgorithm").GetBoolean());
        Assert.All(without.RootElement.GetProperty("versions").EnumerateArray(), v => Assert.False(v.TryGetProperty("signatureAlgorithms", out _)));
        Assert.Contains("(ms since the scan started)", traced.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("ms since the scan started", plain.Stderr, StringComparison.Ordinal);
        Assert.True(withSignatures.RootElement.GetProperty("connections").GetInt32() > without.RootElement.GetProperty("connections").GetInt32() + 29);
    }

    /// <summary>
    /// A server whose only TLS 1.2 suites are ECDHE: sslscan's signature probes offer no supported_groups below TLS 1.3,
    /// so the server refuses all of them and sslscan lists nothing. dbtls' answer is held against openssl s_client
    /// instead, one handshake per algorithm offered alone (-sigalgs), which must succeed exactly for the ones dbtls lists.
    /// </summary>
    [Fact]
    public async Task Signature_algorithms_of_an_ECDHE_only_server_equal_openssl_s_client_where_sslscan_sees_none()
    {
        await using var server = await ScanOpenSslServer.StartAsync(_certificate.Leaf, "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0", "-max_protocol", "TLSv1.2");

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.EndPoint.Port, new ScanOptions { Protocol = ScanProtocol.Tls, SignatureAlgorithms = true }, CancellationToken.None);
        var sslscan = await ExternalScanners.SslscanAsync(server.EndPoint, signatures: true);

        var ours = report.Versions.Single(v => v.Version == "TLSv1.2").SignatureAlgorithms!;
        Assert.Empty(sslscan.Signatures!);
        Assert.NotEmpty(ours);
        foreach (var (scheme, openSslName) in OpenSslSignatureNames)
        {
            var handshake = await ProcessRunner.RunAsync("openssl",
                ["s_client", "-connect", $"127.0.0.1:{server.EndPoint.Port}", "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0", "-sigalgs", openSslName], TimeSpan.FromSeconds(30));
            Assert.True((handshake.ExitCode == 0) == ours.Contains(scheme), $"{scheme}: openssl s_client exit {handshake.ExitCode}, dbtls {(ours.Contains(scheme) ? "accepted" : "refused")}");
        }
    }

    /// <summary>The algorithms openssl s_client can offer alone, by dbtls' (IANA) name and OpenSSL's.</summary>
    private static readonly (string Scheme, string OpenSsl)[] OpenSslSignatureNames =
    [
        ("rsa_pkcs1_sha1", "RSA+SHA1"),
        ("rsa_pkcs1_sha224", "RSA+SHA224"),
        ("rsa_pkcs1_sha256", "RSA+SHA256"),
        ("rsa_pkcs1_sha384", "RSA+SHA384"),
        ("rsa_pkcs1_sha512", "RSA+SHA512"),
        ("rsa_pss_rsae_sha256", "rsa_pss_rsae_sha256"),
        ("rsa_pss_rsae_sha384", "rsa_pss_rsae_sha384"),
        ("rsa_pss_rsae_sha512", "rsa_pss_rsae_sha512"),
        ("rsa_pss_pss_sha256", "rsa_pss_pss_sha256"),
        ("ecdsa_secp256r1_sha256", "ecdsa_secp256r1_sha256"),
        ("ed25519", "ed25519"),
    ];

    [Fact]
    public async Task A_server_that_follows_the_client_is_reported_as_client_order_as_nmap_does()
    {
        await using var server = await ScanOpenSslServer.StartAsync(_certificate.Leaf, "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256");

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.EndPoint.Port, new ScanOptions { Protocol = ScanProtocol.Tls }, CancellationToken.None);
        var nmap = await ExternalScanners.NmapAsync(server.EndPoint);

        Assert.Equal(Sorted(nmap.Set), Sorted(ScannerView.Of(report).Set));
        Assert.Equal("client", nmap.Preference["TLSv1.2"]);
        Assert.Equal("client", report.Versions.Single(v => v.Version == "TLSv1.2").Order);
        Assert.Contains(report.Findings, f => f.Code == DbTls.Diagnostics.FindingCodes.ScanClientOrder);
    }

    private static List<(string, string)> Sorted(IEnumerable<(string, string)> set) => [.. set.Order()];
}

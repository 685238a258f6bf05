using System.Net;
using DbTls.Scan;
using DbTls.Scan.Probe;
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

        Assert.Equal(Sorted(await SslscanGroupsAsync(server.EndPoint)), Sorted(report.Versions.SelectMany(v => v.Groups.Select(g => (v.Version, g)))));
    }

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

    private static async Task<ISet<(string, string)>> SslscanGroupsAsync(IPEndPoint endpoint)
    {
        var run = await ProcessRunner.RunAsync("sslscan", ["--xml=-", "--no-colour", "--no-heartbleed", "--no-renegotiation", "--no-compression", "--no-fallback", "--no-check-certificate", "--no-ciphersuites", $"{endpoint.Address}:{endpoint.Port}"], TimeSpan.FromSeconds(120));
        var xml = System.Xml.Linq.XDocument.Parse(run.Stdout[run.Stdout.IndexOf('<', StringComparison.Ordinal)..]);
        return xml.Descendants("group")
            .Select(g => ((string)g.Attribute("sslversion")!, NamedGroup.Of(ushort.Parse(((string)g.Attribute("id")!)[2..], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture)).Name))
            .ToHashSet();
    }

    private static List<(string, string)> Sorted(IEnumerable<(string, string)> set) => [.. set.Order()];
}

using DbTls.Scan;
using DbTls.Scan.Probe;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.Scan;

/// <summary>
/// The suite elimination runs in chains side by side and joins them: against servers whose order is far from the
/// offer's, the joined order must still be the server's as sslscan and nmap find it, and a client-order server's
/// must still be the offer's.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ScanParallelTests : IClassFixture<LocalhostCertificateFixture>
{
    /// <summary>
    /// Sixteen TLS 1.2 suites, weakest first: nearly the reverse of OpenSSL's default order (and so of the probe's
    /// offer), spread over all three chains, so every seam fails and the chains must be merged.
    /// </summary>
    private const string ReversedSuites =
        "AES128-SHA:CAMELLIA128-SHA:AES256-SHA:DHE-RSA-AES128-SHA:ECDHE-RSA-AES128-SHA:AES128-SHA256:AES256-SHA256:"
        + "ECDHE-RSA-AES128-SHA256:DHE-RSA-AES256-SHA256:AES128-GCM-SHA256:AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:"
        + "ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384";

    private readonly LocalhostCertificateFixture _certificate;

    public ScanParallelTests(LocalhostCertificateFixture certificate) => _certificate = certificate;

    [Fact]
    public async Task A_server_order_against_the_offer_order_is_found_as_sslscan_and_nmap_find_it()
    {
        await using var server = await ScanOpenSslServer.StartAsync(_certificate.Leaf, "-serverpref", "-max_protocol", "TLSv1.2", "-cipher", ReversedSuites);

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.EndPoint.Port, new ScanOptions { Protocol = ScanProtocol.Tls }, CancellationToken.None);
        var sslscan = await ExternalScanners.SslscanAsync(server.EndPoint);
        var nmap = await ExternalScanners.NmapAsync(server.EndPoint);

        var tls12 = report.Versions.Single(v => v.Version == "TLSv1.2");
        Assert.Equal(16, tls12.Suites.Count);
        Assert.Equal(sslscan.Suites["TLSv1.2"], tls12.Suites.Select(s => s.Name));
        Assert.Equal(nmap.Suites["TLSv1.2"], tls12.Suites.Select(s => s.Name));
        Assert.Equal("server", tls12.Order);
        Assert.Equal("TLS_RSA_WITH_AES_128_CBC_SHA", tls12.Suites[0].Name);
    }

    [Fact]
    public async Task A_client_order_server_with_many_suites_lists_them_in_the_offer_order()
    {
        await using var server = await ScanOpenSslServer.StartAsync(_certificate.Leaf, "-max_protocol", "TLSv1.2", "-cipher", ReversedSuites);

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.EndPoint.Port, new ScanOptions { Protocol = ScanProtocol.Tls }, CancellationToken.None);
        var nmap = await ExternalScanners.NmapAsync(server.EndPoint);

        var tls12 = report.Versions.Single(v => v.Version == "TLSv1.2");
        Assert.Equal(nmap.Suites["TLSv1.2"].Order(StringComparer.Ordinal), tls12.Suites.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.Equal("client", tls12.Order);
        // A server that follows the client picks the first suite of each offer it accepts: the offer's own order.
        var offerOrder = CipherSuite.ForVersion(TlsVersions.Tls12).Select(s => s.Name).Where(n => tls12.Suites.Any(s => s.Name == n));
        Assert.Equal(offerOrder, tls12.Suites.Select(s => s.Name));
    }
}

[Collection(Postgres18Collection.Name)]
[Trait("Category", "Integration")]
public sealed class ScanParallelPostgres18Tests(Postgres18Fixture pg)
{
    /// <summary>The speed goal's connection budget (issue 11): at most 70 TCP connections for the default server.</summary>
    [Fact]
    public async Task The_default_PostgreSQL_18_scan_opens_at_most_70_connections()
    {
        await pg.Server.RestoreDefaultsAsync();

        var report = await PostgresScanCases.ScanAsync(pg.Server, PostgresScanCases.SslRequest);

        Assert.InRange(report.Connections, 1, 70);
        Assert.Equal("S", report.Postgres!.SslRequestAnswer);
        Assert.True(report.Versions.Single(v => v.Version == "TLSv1.2").Suites.Count > 30);
    }
}

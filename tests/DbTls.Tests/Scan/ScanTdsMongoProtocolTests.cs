using System.Security.Authentication;
using DbTls.Policy;
using DbTls.Scan;
using DbTls.Tests.Servers.Mongo;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Scan;

/// <summary>
/// dbtls scan through TDS 7.x (TLS wrapped in PRELOGIN packets), TDS 8.0 strict and MongoDB's implicit TLS on the
/// test servers real SqlClient, tsql and MongoDB.Driver vouch for, held against nmap's ssl-enum-ciphers (which
/// wraps TLS in PRELOGIN only on a port its services file calls ms-sql-s) and sslscan where they can reach it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ScanTdsMongoProtocolTests(TdsTestCertificates certs) : IClassFixture<TdsTestCertificates>
{
    /// <summary>sslscan and testssl cannot wrap TLS in PRELOGIN; nmap can, as ms-sql-s.</summary>
    [Fact]
    public async Task The_TDS_7_wrapped_scan_equals_nmap()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions { Encryption = PreLoginEncryption.On }));

        var report = await ScanLoopback.ScanAsync(server.Port, ScanProtocol.Tds);

        ScanProtocolComparison.Equal(await ExternalScanners.NmapAsync(ScanLoopback.EndPoint(server.Port), "ms-sql-s"), report, "nmap");
        // SQL Server does at most TLS 1.2 inside PRELOGIN packets, and so does the test server.
        Assert.Equal(["TLSv1.2"], report.Versions.Where(v => v.Accepted).Select(v => v.Version));
    }

    /// <summary>
    /// nmap cannot be the reference here: BouncyCastle's server (the stand-in for an old SQL Server) answers every
    /// one of nmap's TLS 1.0 probes with handshake_failure (measured: 21 alerts, no suite found). The reference is
    /// the server's configuration: BouncyCastle's DefaultTlsServer suites that TLS 1.0 allows for an RSA key.
    /// </summary>
    [Fact]
    public async Task The_TLS_1_0_only_legacy_TDS_server_is_found_with_its_TLS_1_0_suites()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions { Encryption = PreLoginEncryption.On, LegacyWrappedTls = TlsProtocolVersion.Tls10 }));

        var report = await ScanLoopback.ScanAsync(server.Port, ScanProtocol.Tds);

        var accepted = Assert.Single(report.Versions, v => v.Accepted);
        Assert.Equal("TLSv1.0", accepted.Version);
        string[] expected =
        [
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA",
        ];
        Assert.Equal(expected.Order(), accepted.Suites.Select(s => s.Name).Order());
        Assert.Contains(report.Findings, f => f.Code == DbTls.Diagnostics.FindingCodes.ScanLegacyVersion);
    }

    /// <summary>The strict port takes a ClientHello first: sslscan and nmap reach it as plain TLS (they offer no ALPN, which the server does not demand).</summary>
    [Fact]
    public async Task The_TDS_8_strict_scan_equals_sslscan_and_nmap()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions { Strict = TdsStrictMode.Required, StrictTlsProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 }));

        var report = await ScanLoopback.ScanAsync(server.Port, ScanProtocol.TdsStrict, signatures: true);

        var sslscan = await ExternalScanners.SslscanAsync(ScanLoopback.EndPoint(server.Port), signatures: true);
        ScanProtocolComparison.Equal(sslscan, report, "sslscan");
        ScanProtocolComparison.SameGroups(sslscan.Groups!, report, "sslscan");
        ScanProtocolComparison.Equal(await ExternalScanners.NmapAsync(ScanLoopback.EndPoint(server.Port)), report, "nmap");
        Assert.Contains(report.Versions, v => v.Version == "TLSv1.3" && v.Accepted);
    }

    /// <summary>One server, both paths, scanned separately: wrapped 7.x stops at TLS 1.2, strict goes to 1.3.</summary>
    [Fact]
    public async Task A_server_that_allows_both_paths_is_scanned_on_each_separately()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions { Encryption = PreLoginEncryption.Off, Strict = TdsStrictMode.Allowed }));

        var wrapped = await ScanLoopback.ScanAsync(server.Port, ScanProtocol.Tds);
        var strict = await ScanLoopback.ScanAsync(server.Port, ScanProtocol.TdsStrict);

        Assert.Equal(["TLSv1.2"], wrapped.Versions.Where(v => v.Accepted).Select(v => v.Version));
        Assert.Equal(["TLSv1.2", "TLSv1.3"], strict.Versions.Where(v => v.Accepted).Select(v => v.Version));
        // The same TLS 1.2 configuration answers on both paths.
        Assert.Equal(wrapped.Versions.Single(v => v.Version == "TLSv1.2").Suites.Select(s => s.Name), strict.Versions.Single(v => v.Version == "TLSv1.2").Suites.Select(s => s.Name));
    }

    [Fact]
    public async Task The_MongoDB_implicit_TLS_scan_equals_sslscan_and_nmap()
    {
        using var mongoCerts = new MongoTestCertificates();
        await using var server = MongoTestServer.Start(new MongoTestServerOptions { Certificate = mongoCerts.Server.Certificate });

        var report = await ScanLoopback.ScanAsync(server.Port, ScanProtocol.Mongo, signatures: true);

        Assert.Equal("mongodb", report.Protocol);
        var sslscan = await ExternalScanners.SslscanAsync(ScanLoopback.EndPoint(server.Port), signatures: true);
        ScanProtocolComparison.Equal(sslscan, report, "sslscan");
        ScanProtocolComparison.SameGroups(sslscan.Groups!, report, "sslscan");
        ScanProtocolComparison.Equal(await ExternalScanners.NmapAsync(ScanLoopback.EndPoint(server.Port)), report, "nmap");
    }
}

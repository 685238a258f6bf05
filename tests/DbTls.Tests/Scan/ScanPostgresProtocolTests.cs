using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DbTls.Scan;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.Scan;

/// <summary>
/// dbtls scan through PostgreSQL's SSLRequest on real PostgreSQL 15 and 18, held against sslscan
/// (<c>--starttls-psql</c>) and nmap's ssl-enum-ciphers (which speaks STARTTLS only on a port its services file
/// calls postgresql) in the same run, on the default configuration and on narrowed ones.
/// </summary>
internal static class PostgresScanCases
{
    public static readonly ScanOptions SslRequest = new() { Protocol = ScanProtocol.Postgres };

    public static readonly ScanOptions Direct = new() { Protocol = ScanProtocol.PostgresDirect };

    public static IPEndPoint EndPoint(PostgresServer server) => ScanLoopback.EndPoint(server.Port);

    public static Task<ScanReport> ScanAsync(PostgresServer server, ScanOptions options) => ScanLoopback.ScanAsync(server.Port, options.Protocol);

    /// <summary>
    /// Scans through SSLRequest and holds the result against sslscan (suites, order, groups, and with
    /// <paramref name="signatures"/> the signature algorithms) and nmap.
    /// </summary>
    public static async Task<ScanReport> ScanEqualsScannersAsync(PostgresServer server, bool signatures = false)
    {
        var report = await ScanLoopback.ScanAsync(server.Port, ScanProtocol.Postgres, signatures: signatures);
        var sslscan = await ExternalScanners.SslscanAsync(EndPoint(server), postgres: true, signatures);
        ScanProtocolComparison.Equal(sslscan, report, "sslscan");
        // Groups: openssl s_client decides, one handshake per (version, group); sslscan 2.0.7 misses some TLS 1.2 groups
        // on PostgreSQL (its fixed TLS 1.2 offer has no ChaCha20 suite, and it skips a group when the server's first
        // flight is split differently), but never reports one the server refuses.
        var openssl = await OpenSslGroupOracle.AcceptedAsync(EndPoint(server), report, postgres: true);
        ScanProtocolComparison.SameGroups(openssl, report, "openssl s_client");
        Assert.Subset(openssl.ToHashSet(), sslscan.Groups!.ToHashSet());
        ScanProtocolComparison.Equal(await ExternalScanners.NmapAsync(EndPoint(server), "postgresql"), report, "nmap");
        return report;
    }

    /// <summary>A self-signed ECDSA P-256 certificate for localhost, as PEM files PostgreSQL reads.</summary>
    public static ServerTlsMaterial EcdsaMaterial()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return new ServerTlsMaterial(certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }
}

[Collection(Postgres18Collection.Name)]
[Trait("Category", "Integration")]
public sealed class ScanPostgres18ProtocolTests(Postgres18Fixture pg)
{
    [Fact]
    public async Task The_SSLRequest_scan_equals_sslscan_and_nmap()
    {
        await pg.Server.RestoreDefaultsAsync();

        var report = await PostgresScanCases.ScanEqualsScannersAsync(pg.Server, signatures: true);

        Assert.Equal("postgres", report.Protocol);
        Assert.Contains(report.Versions, v => v.Version == "TLSv1.3" && v.Accepted);
        // An RSA key: TLS 1.3 signs with RSA-PSS only (RFC 8446 forbids PKCS#1 v1.5 in CertificateVerify).
        Assert.Contains("rsa_pss_rsae_sha256", report.Versions.Single(v => v.Version == "TLSv1.3").SignatureAlgorithms!);
        Assert.DoesNotContain("rsa_pkcs1_sha256", report.Versions.Single(v => v.Version == "TLSv1.3").SignatureAlgorithms!);
        // PostgreSQL turns off session tickets and the session cache: nothing to resume, as openssl s_client -reconnect finds.
        Assert.Empty(report.Extensions!.Resumption);
        var reconnect = await Infrastructure.ProcessRunner.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{pg.Server.Port}", "-starttls", "postgres", "-reconnect", "-tls1_2"], TimeSpan.FromSeconds(30));
        Assert.Contains("New, TLSv1.2", reconnect.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Reused,", reconnect.Stdout, StringComparison.Ordinal);
    }

    /// <summary>nmap and sslscan cannot do direct TLS; the same server scanned through SSLRequest is the reference.</summary>
    [Fact]
    public async Task The_direct_TLS_scan_equals_the_SSLRequest_scan_of_the_same_server()
    {
        await pg.Server.RestoreDefaultsAsync();

        var viaSslRequest = await PostgresScanCases.ScanAsync(pg.Server, PostgresScanCases.SslRequest);
        var direct = await PostgresScanCases.ScanAsync(pg.Server, PostgresScanCases.Direct);

        Assert.Equal("postgres-direct", direct.Protocol);
        ScanProtocolComparison.SamePosture(viaSslRequest, direct);
        Assert.Equal(viaSslRequest.Certificates.Select(c => c.Sha256), direct.Certificates.Select(c => c.Sha256));
    }

    [Fact]
    public async Task A_server_with_TLS_1_3_as_minimum_is_scanned_as_sslscan_and_nmap_see_it()
    {
        await pg.Server.ReloadAsync(new PostgresTlsSettings { MinProtocolVersion = "TLSv1.3" });
        try
        {
            var report = await PostgresScanCases.ScanEqualsScannersAsync(pg.Server);

            Assert.Equal(["TLSv1.3"], report.Versions.Where(v => v.Accepted).Select(v => v.Version));
        }
        finally
        {
            await pg.Server.RestoreDefaultsAsync();
        }
    }

    [Fact]
    public async Task A_restricted_ssl_ciphers_list_is_found_in_the_servers_order()
    {
        // Not alphabetical and not OpenSSL's default order, so a scanner that sorts would be caught.
        await pg.Server.ReloadAsync(new PostgresTlsSettings { MaxProtocolVersion = "TLSv1.2", Ciphers = "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-GCM-SHA384:AES128-GCM-SHA256" });
        try
        {
            var report = await PostgresScanCases.ScanEqualsScannersAsync(pg.Server);

            var tls12 = Assert.Single(report.Versions, v => v.Accepted);
            Assert.Equal(["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_GCM_SHA256"], tls12.Suites.Select(s => s.Name));
            Assert.Equal("server", tls12.Order);
        }
        finally
        {
            await pg.Server.RestoreDefaultsAsync();
        }
    }

    [Fact]
    public async Task An_ECDSA_certificate_is_scanned_as_sslscan_and_nmap_see_it()
    {
        await pg.Server.ReloadWithCertificatesAsync(PostgresScanCases.EcdsaMaterial());
        try
        {
            var report = await PostgresScanCases.ScanEqualsScannersAsync(pg.Server, signatures: true);

            Assert.StartsWith("EC", report.Certificates[0].Key, StringComparison.Ordinal);
            Assert.All(report.Versions.Where(v => v.SignatureAlgorithms is not null), v => Assert.All(v.SignatureAlgorithms!, s => Assert.StartsWith("ecdsa_", s, StringComparison.Ordinal)));
            Assert.Contains(report.Versions.Single(v => v.Version == "TLSv1.2").Suites, s => s.Name.Contains("_ECDSA_", StringComparison.Ordinal));
            Assert.DoesNotContain(report.Versions.SelectMany(v => v.Suites), s => s.Name.Contains("_RSA_WITH", StringComparison.Ordinal) && s.Name.Contains("ECDHE_RSA", StringComparison.Ordinal));
        }
        finally
        {
            await pg.Server.RestoreDefaultsAsync();
        }
    }
}

[Collection(Postgres15Collection.Name)]
[Trait("Category", "Integration")]
public sealed class ScanPostgres15ProtocolTests(Postgres15Fixture pg)
{
    [Fact]
    public async Task The_SSLRequest_scan_equals_sslscan_and_nmap()
    {
        await pg.Server.RestoreDefaultsAsync();

        var report = await PostgresScanCases.ScanEqualsScannersAsync(pg.Server, signatures: true);

        Assert.Equal("postgres", report.Protocol);
        Assert.NotEmpty(report.Versions.Single(v => v.Version == "TLSv1.2").SignatureAlgorithms!);
    }

    [Fact]
    public async Task A_restricted_ssl_ciphers_list_on_PostgreSQL_15_equals_sslscan_and_nmap()
    {
        await pg.Server.ReloadAsync(new PostgresTlsSettings { Ciphers = "ECDHE-RSA-CHACHA20-POLY1305:AES256-SHA" });
        try
        {
            var report = await PostgresScanCases.ScanEqualsScannersAsync(pg.Server);

            Assert.Equal(["TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA"], report.Versions.Single(v => v.Version == "TLSv1.2").Suites.Select(s => s.Name));
        }
        finally
        {
            await pg.Server.RestoreDefaultsAsync();
        }
    }
}

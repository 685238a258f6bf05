using System.Net;
using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Reports;
using DbTls.Tests.Checks.Mongo;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Dns;
using DbTls.Tests.Servers.Mongo;

namespace DbTls.Tests.EndToEnd.Mongo;

/// <summary>
/// <c>mongodb+srv://</c> end to end: dnsmasq on loopback answers SRV, TXT and A for the cluster, the
/// MongoDB test server holds a certificate for the SRV target's name, and <see cref="MongoCheck"/> with a
/// <see cref="DnsClientMongoResolver"/> bound to that dnsmasq discovers, connects with TLS (on by default),
/// checks the certificate against the SRV target's name, and logs in.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MongoSrvEndToEndTests : IDisposable
{
    private readonly IssuedCert _root = CertFactory.CreateRoot("dbtls SRV Test Root");
    private readonly string _directory = OwnedTempDirectory.Create("dbtls-mongosrv-");
    private readonly string _caFile;

    public MongoSrvEndToEndTests() =>
        _caFile = CertFactory.WritePem(Path.Combine(_directory, "root.pem"), _root.CertificatePem);

    public void Dispose()
    {
        _leaves.ForEach(l => l.Dispose());
        _root.Dispose();
        OwnedTempDirectory.TryDelete(_directory);
    }

    private readonly List<IssuedCert> _leaves = [];

    private MongoTestServer StartServer(params string[] certificateNames)
    {
        var leaf = CertFactory.CreateLeaf(_root, new CertSpec { CommonName = certificateNames[0], DnsNames = certificateNames });
        _leaves.Add(leaf);
        return MongoTestServer.Start(new MongoTestServerOptions { Certificate = leaf.Certificate, Users = [MongoCheckHarness.Alice] });
    }

    private static DnsZone Cluster(int port, string target = "db1.example.test", string? txt = "authSource=admin")
    {
        var zone = new DnsZone().Local("example.test")
            .Srv("_mongodb._tcp.cluster0.example.test", target, port)
            .Host("db1.example.test", IPAddress.Loopback);
        return txt is null ? zone : zone.Txt("cluster0.example.test", txt);
    }

    private Task<CheckReport> CheckAsync(DnsmasqServer dns) => MongoCheckHarness.CheckAsync(
        $"mongodb+srv://alice:{MongoCheckHarness.Escape(MongoCheckHarness.Password)}@cluster0.example.test/?tlsCAFile={MongoCheckHarness.Escape(_caFile)}",
        dns: new DnsClientMongoResolver(dns.EndPoint, TimeSpan.FromSeconds(2)));

    [Fact]
    public async Task Discovers_the_seed_in_dns_connects_with_tls_on_by_default_and_logs_in()
    {
        await using var server = StartServer("db1.example.test");
        await using var dns = await DnsmasqServer.StartAsync(Cluster(server.Port));

        var report = await CheckAsync(dns);

        var json = ReportJson.Serialize(report);
        Assert.True(report.Verdict == Verdicts.Ok, json);
        Assert.True(await dns.SawQueryAsync("A db1.example.test"), dns.Log); // the seed's address came from the same DNS server
        Assert.Equal(["SRV _mongodb._tcp.cluster0.example.test", "TXT cluster0.example.test"], dns.Queries.Where(q => !q.StartsWith('A')).Take(2));
        Assert.Contains(report.Target.Sources, s => s.Contains("DNS SRV _mongodb._tcp.cluster0.example.test", StringComparison.Ordinal));
        var record = Assert.Single(server.Connections);
        Assert.NotNull(record.TlsProtocol);
        Assert.Contains("alice@admin", record.AuthenticatedUsers);
        MongoCheckHarness.AssertOnlyTlsOnTheWire(record);
        MongoCheckHarness.AssertNoSecret(report, MongoCheckHarness.Password);
    }

    [Fact]
    public async Task The_certificate_is_checked_against_the_srv_target_name()
    {
        await using var server = StartServer("localhost"); // not db1.example.test
        await using var dns = await DnsmasqServer.StartAsync(Cluster(server.Port));

        var report = await CheckAsync(dns);

        Assert.Equal(Verdicts.Rejected, report.Verdict);
        Assert.Contains(FindingCodes.CertHostnameMismatch, report.Findings.Select(f => f.Code));
        Assert.All(server.Connections, c => Assert.Empty(c.AuthenticatedUsers));
    }

    [Theory]
    [InlineData("db1.example.test.attacker.test", "authSource=admin")] // target outside the domain
    [InlineData("db1.example.test", "tls=false")] // TXT may not turn TLS off
    public async Task Records_that_break_the_seedlist_rules_stop_the_check_before_any_connection(string target, string txt)
    {
        await using var server = StartServer("db1.example.test");
        var zone = Cluster(server.Port, target, txt);
        await using var dns = await DnsmasqServer.StartAsync(target == "db1.example.test" ? zone : zone.Host(target, IPAddress.Loopback));

        var report = await CheckAsync(dns);

        Assert.NotEqual(Verdicts.Ok, report.Verdict);
        Assert.Contains(FindingCodes.DnsSrvRecordInvalid, report.Findings.Select(f => f.Code));
        Assert.Empty(server.Connections);
    }
}

using System.Net;
using System.Net.Sockets;
using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Reports;
using DbTls.Tests.Servers.Mongo;
using static DbTls.Tests.Checks.Mongo.MongoCheckHarness;

namespace DbTls.Tests.Checks.Mongo;

/// <summary>Seed lists: one attempt per host in order, the first that works ends the search; mongodb+srv:// seeds from DNS.</summary>
[Trait("Category", "Integration")]
public sealed class MongoCheckSeedTests(MongoCheckCertificates certs) : IClassFixture<MongoCheckCertificates>
{
    /// <summary>A loopback port with nothing listening (bound, then released).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private MongoTestServer Start(MongoTestServerOptions? options = null) =>
        MongoTestServer.Start(options ?? new MongoTestServerOptions { Certificate = certs.Base.Server.Certificate, Users = [Alice] });

    [Fact]
    public async Task First_host_down_second_used()
    {
        await using var server = Start();
        var down = ClosedPort();
        var report = await CheckAsync($"mongodb://alice:{Escape(Password)}@localhost:{down},localhost:{server.Port}/?{TlsOptions(certs)}");

        Assert.Equal(Verdicts.Ok, report.Verdict);
        Assert.Collection(report.Negotiation.Attempts,
            first =>
            {
                Assert.Equal($"localhost:{down}", first.Endpoint);
                Assert.Equal("failed", first.Outcome);
                Assert.Contains("could not connect", first.Detail, StringComparison.Ordinal);
            },
            second =>
            {
                Assert.Equal($"localhost:{server.Port}", second.Endpoint);
                Assert.Equal("ok", second.Outcome);
            });
        var warning = Assert.Single(report.Findings, f => f.Code == FindingCodes.NetUnreachable);
        Assert.Equal("warning", warning.Severity);
        Assert.Contains($"went on with localhost:{server.Port}", warning.Message, StringComparison.Ordinal);
        Assert.Equal(["alice@admin"], report.Server!.AuthenticatedUsers);
    }

    [Fact]
    public async Task Stops_at_the_first_host_that_succeeds()
    {
        await using var first = Start();
        await using var second = Start();
        var report = await CheckAsync($"mongodb://alice:{Escape(Password)}@localhost:{first.Port},localhost:{second.Port}/?{TlsOptions(certs)}");

        Assert.Equal("ok", Assert.Single(report.Negotiation.Attempts).Outcome);
        Assert.Single(first.Connections);
        Assert.Empty(second.Connections);
    }

    [Fact]
    public async Task All_hosts_failing_reports_each_and_a_rejection_decides_the_verdict()
    {
        await using var untrusted = Start(new MongoTestServerOptions { Certificate = certs.Untrusted.Certificate, Users = [Alice] });
        var down = ClosedPort();
        var report = await CheckAsync($"mongodb://alice:{Escape(Password)}@localhost:{down},localhost:{untrusted.Port}/?{TlsOptions(certs)}");

        Assert.Equal(Verdicts.Rejected, report.Verdict);
        Assert.Equal(1, report.ExitCode);
        Assert.All(report.Negotiation.Attempts, a => Assert.Equal("failed", a.Outcome));
        Assert.Equal(FindingCodes.CertUntrusted, Failure(report).Code);
        Assert.StartsWith($"seed localhost:{untrusted.Port}: ", Failure(report).Message, StringComparison.Ordinal);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.NetUnreachable && f.Message.StartsWith($"seed localhost:{down}", StringComparison.Ordinal));
        Assert.Equal(certs.Untrusted.Certificate.Subject, report.Tls!.Certificates[0].Subject);
    }

    [Fact]
    public async Task Only_unreachable_hosts_is_a_network_failure()
    {
        var report = await CheckAsync($"mongodb://localhost:{ClosedPort()},127.0.0.1:{ClosedPort()}/?{TlsOptions(certs)}");

        Assert.Equal(Verdicts.Failed, report.Verdict);
        Assert.Equal(3, report.ExitCode);
        Assert.Equal(2, report.Negotiation.Attempts.Count);
        Assert.Equal(2, report.Findings.Count(f => f.Code == FindingCodes.NetUnreachable));
    }

    [Fact]
    public async Task Srv_without_a_resolver_is_a_clear_lookup_failure()
    {
        var report = await CheckAsync("mongodb+srv://cluster0.example.test/?tlsCAFile=" + Escape(certs.CaFile));

        Assert.Equal(Verdicts.Failed, report.Verdict);
        Assert.Equal(3, report.ExitCode);
        var failure = Failure(report);
        Assert.Equal(FindingCodes.DnsSrvLookupFailed, failure.Code);
        Assert.Contains("no DNS resolver", failure.Message, StringComparison.Ordinal);
        Assert.Empty(report.Negotiation.Attempts);
        Assert.Equal("cluster0.example.test", report.Target.Host);
    }

    [Fact]
    public async Task Srv_seeds_and_txt_options_from_dns_are_reported_and_tried_in_order()
    {
        var dns = new TableResolver(
            [new SrvRecord("a.cluster0.example.test.", 27017), new SrvRecord("b.cluster0.example.test.", 27018)],
            [["authSource=other&replicaSet=rs0"]]);
        var report = await CheckAsync($"mongodb+srv://alice:{Escape(Password)}@cluster0.example.test/?tlsCAFile=" + Escape(certs.CaFile), dns: dns);

        Assert.Equal(["_mongodb._tcp.cluster0.example.test"], dns.SrvQueries);
        Assert.Contains("seeds: a.cluster0.example.test:27017, b.cluster0.example.test:27018", report.Target.Sources);
        Assert.Contains(report.Target.Sources, s => s.StartsWith("options from DNS TXT", StringComparison.Ordinal));
        Assert.Equal(["a.cluster0.example.test:27017", "b.cluster0.example.test:27018"], report.Negotiation.Attempts.Select(a => a.Endpoint));
        Assert.All(report.Negotiation.Attempts, a => Assert.Equal("implicit", a.Method));
        Assert.Equal(3, report.ExitCode);
        AssertNoSecret(report, Password);
    }

    [Fact]
    public async Task Srv_record_outside_the_domain_is_refused_before_connecting()
    {
        var dns = new TableResolver([new SrvRecord("evil.attacker.test", 27017)], []);
        var report = await CheckAsync("mongodb+srv://cluster0.example.test/", dns: dns);

        Assert.Equal(FindingCodes.DnsSrvRecordInvalid, Failure(report).Code);
        Assert.Empty(report.Negotiation.Attempts);
    }

    /// <summary>The SRV and TXT answers of a zone, as the seedlist discovery interface takes them.</summary>
    private sealed class TableResolver(IReadOnlyList<SrvRecord> srv, IReadOnlyList<IReadOnlyList<string>> txt) : IMongoDnsResolver
    {
        public List<string> SrvQueries { get; } = [];

        public Task<IReadOnlyList<SrvRecord>> ResolveSrvAsync(string name, CancellationToken cancellationToken)
        {
            SrvQueries.Add(name);
            return Task.FromResult(srv);
        }

        public Task<IReadOnlyList<IReadOnlyList<string>>> ResolveTxtAsync(string name, CancellationToken cancellationToken) => Task.FromResult(txt);
    }
}

using System.Net;
using System.Text.Json;
using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Reports;
using DbTls.Tests.Checks.Mongo;
using DbTls.Tests.Cli;
using DbTls.Tests.Servers.Dns;
using DbTls.Tests.Servers.Mongo;
using static DbTls.Tests.Checks.Mongo.MongoCheckHarness;

namespace DbTls.Tests.EndToEnd.Mongo;

/// <summary>
/// <c>dbtls check "mongodb://..."</c> end to end, in process: dialect detection, the MongoDB runner with
/// --user / DBTLS_PASSWORD / --dns-server, the check against the MongoDB test server, both renderers and
/// the exit codes.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CliMongoTests(MongoCheckCertificates certs) : IClassFixture<MongoCheckCertificates>
{
    private MongoTestServer Start(MongoHostileMode hostile = MongoHostileMode.None, IssuedCertChoice cert = IssuedCertChoice.Trusted) =>
        MongoTestServer.Start(new MongoTestServerOptions
        {
            Certificate = cert switch
            {
                IssuedCertChoice.Untrusted => certs.Untrusted.Certificate,
                IssuedCertChoice.None => null,
                _ => certs.Base.Server.Certificate,
            },
            Users = [Alice, Legacy],
            Hostile = hostile,
        });

    public enum IssuedCertChoice
    {
        Trusted,
        Untrusted,
        None,
    }

    private static Task<CliResult> Check(string uri, string format, IReadOnlyDictionary<string, string>? env = null, params string[] extra) =>
        CliRun.RunAsync(["check", uri, "--format", format, "--timeout", "10", .. extra], env);

    private static void AssertNoPassword(CliResult result, params string[] secrets)
    {
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, result.All, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Trusted_server_json_report_and_exit_0()
    {
        await using var server = Start();
        var result = await Check(UriFor(server.Port, TlsOptions(certs)), "json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.All);
        Assert.Equal("", result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal("ok", root.GetProperty("verdict").GetString());
        Assert.Equal("mongodb", root.GetProperty("target").GetProperty("dialect").GetString());
        Assert.Contains("alice:********@", root.GetProperty("target").GetProperty("connectionString").GetString(), StringComparison.Ordinal);
        var negotiation = root.GetProperty("negotiation");
        Assert.Equal("implicit", negotiation.GetProperty("method").GetString());
        Assert.True(negotiation.GetProperty("encrypted").GetBoolean());
        Assert.Equal($"localhost:{server.Port}", negotiation.GetProperty("attempts")[0].GetProperty("endpoint").GetString());
        Assert.Equal("scram-sha-256", root.GetProperty("login").GetProperty("mechanism").GetString());
        Assert.Equal("alice@admin", root.GetProperty("server").GetProperty("authenticatedUsers")[0].GetString());
        Assert.StartsWith("TLSv1.", root.GetProperty("tls").GetProperty("protocol").GetString(), StringComparison.Ordinal);
        AssertNoPassword(result, Password);
    }

    [Fact]
    public async Task Text_report_shows_each_seed_attempt_and_the_connection_status_view()
    {
        await using var server = Start();
        using var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var down = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var result = await Check($"mongodb://alice:{Escape(Password)}@localhost:{down},localhost:{server.Port}/?{TlsOptions(certs)}", "text");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.All);
        Assert.Matches($@"1\.\s+implicit localhost:{down}\s+failed\s+could not connect", result.Stdout);
        Assert.Matches($@"2\.\s+implicit localhost:{server.Port}\s+ok\s+hello: writable primary", result.Stdout);
        Assert.Contains("Server view (connectionStatus)", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"Logged in\s+alice@admin", result.Stdout);
        Assert.Matches(@"Server\s+7\.0\.0", result.Stdout);
        Assert.Contains("net.unreachable", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("SSL ", result.Stdout, StringComparison.Ordinal);
        AssertNoPassword(result, Password);
    }

    [Fact]
    public async Task User_and_password_from_the_command_line_override_the_uri()
    {
        await using var server = Start();
        var env = new Dictionary<string, string> { ["DBTLS_PASSWORD"] = LegacyPassword };
        var result = await Check(UriFor(server.Port, TlsOptions(certs), userInfo: "alice:Wrong-Pw-11@"), "json", env, "--user", "legacy");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.All);
        var report = ReportJson.Deserialize(result.Stdout)!;
        Assert.Equal("legacy", report.Target.User);
        Assert.Equal("scram-sha-1", report.Login!.Mechanism);
        Assert.Equal(["legacy@admin"], report.Server!.AuthenticatedUsers);
        Assert.Contains("user: --user", report.Target.Sources);
        Assert.Contains("password: DBTLS_PASSWORD", report.Target.Sources);
        AssertNoPassword(result, LegacyPassword, "Wrong-Pw-11");
    }

    [Fact]
    public async Task Password_from_the_environment_for_a_uri_without_one()
    {
        await using var server = Start();
        var env = new Dictionary<string, string> { ["DBTLS_PASSWORD"] = Password };
        var result = await Check(UriFor(server.Port, TlsOptions(certs), userInfo: "alice@"), "text", env);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.All);
        Assert.Contains("succeeded", result.Stdout, StringComparison.Ordinal);
        AssertNoPassword(result, Password);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Untrusted_certificate_exit_1_with_the_missing_issuer_named(string format)
    {
        await using var server = Start(cert: IssuedCertChoice.Untrusted);
        var result = await Check(UriFor(server.Port, TlsOptions(certs)), format);

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Contains("cert.untrusted", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("dbtls Mongo Other Root", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("tlsCAFile", result.Stdout, StringComparison.Ordinal);
        AssertNoPassword(result, Password);
    }

    [Fact]
    public async Task Tls_false_warns_and_exits_0()
    {
        await using var server = Start(cert: IssuedCertChoice.None);
        var result = await Check(UriFor(server.Port, "tls=false"), "text");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("tls.not-used", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("none, not encrypted", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MongoHostileMode.CloseOnAccept, FindingCodes.TlsHandshakeFailed, ExitCodes.Rejected)]
    [InlineData(MongoHostileMode.CloseMidHandshake, FindingCodes.ServerClosed, ExitCodes.Rejected)]
    [InlineData(MongoHostileMode.TruncatedReply, FindingCodes.ServerClosed, ExitCodes.Rejected)]
    [InlineData(MongoHostileMode.OversizedReply, FindingCodes.ServerMessageTooLarge, ExitCodes.Rejected)]
    [InlineData(MongoHostileMode.LyingBsonLength, FindingCodes.ServerProtocolViolation, ExitCodes.Rejected)]
    [InlineData(MongoHostileMode.Garbage, FindingCodes.ServerMessageTooLarge, ExitCodes.Rejected)]
    [InlineData(MongoHostileMode.BadServerSignature, FindingCodes.AuthServerSignatureInvalid, ExitCodes.Rejected)]
    [InlineData(MongoHostileMode.SkipServerSignature, FindingCodes.AuthServerSignatureInvalid, ExitCodes.Rejected)]
    [InlineData(MongoHostileMode.LowIterationCount, FindingCodes.AuthFailed, ExitCodes.Rejected)]
    [InlineData(MongoHostileMode.Silent, FindingCodes.NetTimeout, ExitCodes.Network)]
    public async Task Every_hostile_mode_has_its_code_and_exit_code(MongoHostileMode mode, string code, int exitCode)
    {
        await using var server = Start(mode);
        var result = await CliRun.RunAsync(["check", UriFor(server.Port, TlsOptions(certs)), "--format", "json", "--timeout", "2"]);

        Assert.True(exitCode == result.ExitCode, result.All);
        var report = ReportJson.Deserialize(result.Stdout)!;
        var failure = report.Findings.Last(f => f.Severity == "error").Code;

        // A reset right after accept reaches the client during connect or during the TLS handshake, as the scheduler has it.
        Assert.True(failure == code || (mode == MongoHostileMode.CloseOnAccept && failure == FindingCodes.ServerClosed), failure);
        Assert.Equal(exitCode, report.ExitCode);
        AssertNoPassword(result, Password);
        var record = Assert.Single(server.Connections);
        if (mode == MongoHostileMode.CloseOnAccept)
        {
            Assert.Empty(record.RawReceived);
        }
        else
        {
            AssertOnlyTlsOnTheWire(record);
        }
    }

    [Fact]
    public async Task Invalid_uri_is_exit_2_without_the_password()
    {
        var result = await Check($"mongodb://alice:{Escape(Password)}@localhost/?tls=true&tlsInsecure=true&tlsAllowInvalidCertificates=true", "json");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Equal("config.invalid", ReportJson.Deserialize(result.Stdout)!.Findings.Last().Code);
        AssertNoPassword(result, Password);
    }

    [Fact]
    public async Task Srv_through_dnsmasq_given_with_dns_server_reaches_the_seed_only_that_server_knows()
    {
        await using var server = MongoTestServer.Start(new MongoTestServerOptions { Certificate = certs.SrvTarget.Certificate, Users = [Alice] });
        using var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var down = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var zone = new DnsZone().Local("mongo.test")
            .Srv("_mongodb._tcp.cluster0.mongo.test", MongoCheckCertificates.SrvTargetName, server.Port)
            .Srv("_mongodb._tcp.cluster0.mongo.test", "b.cluster0.mongo.test", down)
            .Txt("cluster0.mongo.test", "authSource=admin")
            .Host(MongoCheckCertificates.SrvTargetName, IPAddress.Loopback)
            .Host("b.cluster0.mongo.test", IPAddress.Loopback);
        await using var dns = await DnsmasqServer.StartAsync(zone);

        var env = new Dictionary<string, string> { ["DBTLS_PASSWORD"] = Password };
        var result = await Check($"mongodb+srv://alice@cluster0.mongo.test/?tlsCAFile={Escape(certs.CaFile)}", "json", env, "--dns-server", dns.Address);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.All);
        var report = ReportJson.Deserialize(result.Stdout)!;
        Assert.Equal("cluster0.mongo.test", report.Target.Host);
        Assert.Contains(report.Target.Sources, s => s.StartsWith("seeds: ", StringComparison.Ordinal) && s.Contains($"{MongoCheckCertificates.SrvTargetName}:{server.Port}", StringComparison.Ordinal));
        Assert.Contains(report.Target.Sources, s => s == "options from DNS TXT cluster0.mongo.test: authSource=admin");
        Assert.StartsWith("tls=true", report.Policy!.Summary, StringComparison.Ordinal);
        var used = Assert.Single(report.Negotiation.Attempts, a => a.Outcome == "ok");
        Assert.Equal($"{MongoCheckCertificates.SrvTargetName}:{server.Port}", used.Endpoint);
        Assert.Equal(MongoCheckCertificates.SrvTargetName, report.Tls!.Sni);
        Assert.Equal(["alice@admin"], report.Server!.AuthenticatedUsers);
        Assert.Contains($"SRV _mongodb._tcp.cluster0.mongo.test", dns.Queries);
        Assert.Contains($"A {MongoCheckCertificates.SrvTargetName}", dns.Queries);
        AssertNoPassword(result, Password);
        AssertOnlyTlsOnTheWire(Assert.Single(server.Connections));
    }

    [Theory]
    [InlineData("127.0.0.1:5353", "127.0.0.1", 5353)]
    [InlineData("127.0.0.1", "127.0.0.1", 53)]
    [InlineData("[::1]:5353", "::1", 5353)]
    [InlineData("::1", "::1", 53)]
    public async Task Dns_server_option_reaches_the_resolver_for_srv(string option, string address, int port)
    {
        IPEndPoint? asked = null;
        var result = await CliRun.RunAsync(
            ["check", "mongodb+srv://cluster0.example.test/", "--format", "json", "--dns-server", option, "--timeout", "5"],
            configure: h => h with { MongoDns = endpoint => { asked = endpoint; return new NoRecords(); } });

        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), asked);
        Assert.Equal(ExitCodes.Network, result.ExitCode);
        Assert.Equal(FindingCodes.DnsSrvLookupFailed, ReportJson.Deserialize(result.Stdout)!.Findings.Last().Code);
    }

    [Theory]
    [InlineData("dns.example.com")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("localhost")]
    [InlineData("")]
    public async Task Bad_dns_server_is_a_usage_error(string option)
    {
        var result = await CliRun.RunAsync(["check", "mongodb+srv://cluster0.example.test/", "--dns-server", option]);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("--dns-server", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Srv_without_a_resolver_says_so()
    {
        var result = await CliRun.RunAsync(["check", "mongodb+srv://cluster0.example.test/", "--format", "json"],
            configure: h => h with { MongoDns = _ => null });

        Assert.Equal(ExitCodes.Network, result.ExitCode);
        Assert.Contains("no DNS resolver", ReportJson.Deserialize(result.Stdout)!.Findings.Last().Message, StringComparison.Ordinal);
    }

    /// <summary>A DNS zone without the SRV records asked for.</summary>
    private sealed class NoRecords : IMongoDnsResolver
    {
        public Task<IReadOnlyList<SrvRecord>> ResolveSrvAsync(string name, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<SrvRecord>>([]);

        public Task<IReadOnlyList<IReadOnlyList<string>>> ResolveTxtAsync(string name, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<IReadOnlyList<string>>>([]);
    }
}

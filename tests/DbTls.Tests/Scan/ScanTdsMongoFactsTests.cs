using DbTls.Diagnostics;
using DbTls.Scan;
using DbTls.Tests.Servers.Mongo;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Scan;

/// <summary>
/// The SQL Server and MongoDB facts of a scan on the test servers real SqlClient, tsql and MongoDB.Driver vouch
/// for. The expected PRELOGIN answers are the MS-TDS 2.2.6.5 table, written out here per server setting.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ScanTdsMongoFactsTests(TdsTestCertificates certs) : IClassFixture<TdsTestCertificates>
{
    public static TheoryData<string, string, string, string, string, bool, bool, bool> Matrix => new()
    {
        // setting: client OFF, ON, NOT_SUP, REQ → server answer; forced, login-only, plaintext.
        { "off (certificate, not forced)", "OFF", "ON", "NOT_SUP", "ON", false, true, true },
        { "on (Force Encryption)", "REQ", "ON", "REQ", "ON", true, false, false },
        { "not_sup (no certificate)", "NOT_SUP", "NOT_SUP", "NOT_SUP", "NOT_SUP", false, false, true },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task The_PRELOGIN_answer_to_each_ENCRYPTION_value_follows_the_servers_setting(string setting, string off, string on, string notSup, string req, bool forced, bool loginOnly, bool plaintext)
    {
        var encryption = setting.Split(' ')[0] switch
        {
            "off" => PreLoginEncryption.Off,
            "on" => PreLoginEncryption.On,
            _ => PreLoginEncryption.NotSupported,
        };
        var options = new TdsTestServerOptions { Encryption = encryption, Strict = TdsStrictMode.Disallowed };
        await using var server = TdsTestServer.Start(encryption == PreLoginEncryption.NotSupported ? options : certs.ServerOptions(options));

        var report = await ScanLoopback.ScanAsync(server.Port, ScanProtocol.Tds);

        var facts = Assert.IsType<TdsScanFacts>(report.Tds);
        Assert.Equal(off, facts.EncryptionAnswers["OFF"]);
        Assert.Equal(on, facts.EncryptionAnswers["ON"]);
        Assert.Equal(notSup, facts.EncryptionAnswers["NOT_SUP"]);
        Assert.Equal(req, facts.EncryptionAnswers["REQ"]);
        Assert.Equal(forced, facts.ForcedEncryption);
        Assert.Equal(loginOnly, facts.LoginOnlyEncryption);
        Assert.Equal(plaintext, facts.PlaintextAllowed);
        Assert.Equal("16.0.4135.0", facts.ServerVersion);
        Assert.False(facts.Strict);
        Assert.Equal(plaintext || loginOnly, report.Findings.Any(f => f.Code == FindingCodes.ScanPlaintextAccepted));
    }

    [Fact]
    public async Task Strict_FEDAUTHREQUIRED_and_the_instance_answer_are_reported()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions { Encryption = PreLoginEncryption.On, Strict = TdsStrictMode.Allowed }));

        var report = await ScanLoopback.ScanAsync(server.Port, ScanProtocol.Tds);

        var facts = Assert.IsType<TdsScanFacts>(report.Tds);
        Assert.True(facts.Strict);
        // The test server answers FEDAUTHREQUIRED 0x00 when asked, and INSTOPT 0x00 (the instance name matches).
        Assert.Equal("0x00", facts.FedAuthRequired);
        Assert.True(facts.InstanceAccepted);
    }

    [Fact]
    public async Task A_strict_only_server_answers_no_PRELOGIN_and_takes_the_strict_ClientHello()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions { Strict = TdsStrictMode.Required }));

        var report = await ScanLoopback.ScanAsync(server.Port, ScanProtocol.TdsStrict);

        var facts = Assert.IsType<TdsScanFacts>(report.Tds);
        Assert.True(facts.Strict);
        Assert.All(facts.EncryptionAnswers.Values, a => Assert.Equal("no answer", a));
        Assert.Null(facts.ForcedEncryption);
        Assert.Null(facts.PlaintextAllowed);
    }

    [Fact]
    public async Task The_command_line_shows_the_TDS_facts_in_JSON_and_text()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions { Encryption = PreLoginEncryption.On, Strict = TdsStrictMode.Allowed }));
        var target = $"127.0.0.1:{server.Port}";

        var json = await DbTls.Tests.Cli.CliRun.RunAsync(["scan", target, "--protocol", "tds", "--format", "json"]);
        var text = await DbTls.Tests.Cli.CliRun.RunAsync(["scan", target, "--protocol", "tds"]);

        using var document = System.Text.Json.JsonDocument.Parse(json.Stdout);
        var tds = document.RootElement.GetProperty("tds");
        Assert.Equal("REQ", tds.GetProperty("encryptionAnswers").GetProperty("OFF").GetString());
        Assert.Equal("REQ", tds.GetProperty("encryptionAnswers").GetProperty("NOT_SUP").GetString());
        Assert.True(tds.GetProperty("forcedEncryption").GetBoolean());
        Assert.False(tds.GetProperty("plaintextAllowed").GetBoolean());
        Assert.True(tds.GetProperty("strict").GetBoolean());
        Assert.Equal("0x00", tds.GetProperty("fedAuthRequired").GetString());
        Assert.Contains("forced encryption yes, login-only encryption no, plaintext allowed no", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("TDS 8.0 strict yes", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_TLS_MongoDB_port_takes_implicit_TLS_and_does_not_answer_a_plaintext_hello()
    {
        using var mongoCerts = new MongoTestCertificates();
        await using var server = MongoTestServer.Start(new MongoTestServerOptions { Certificate = mongoCerts.Server.Certificate });

        var report = await ScanLoopback.ScanAsync(server.Port, ScanProtocol.Mongo);

        var facts = Assert.IsType<MongoScanFacts>(report.Mongo);
        Assert.True(facts.ImplicitTls);
        Assert.False(facts.PlaintextHelloAnswered);
        Assert.DoesNotContain(report.Findings, f => f.Code == FindingCodes.ScanPlaintextAccepted);
    }

    [Fact]
    public async Task A_plaintext_MongoDB_port_answers_hello_and_has_no_TLS()
    {
        await using var server = MongoTestServer.Start(new MongoTestServerOptions { MaxWireVersion = 21 });

        var report = await ScanLoopback.ScanAsync(server.Port, ScanProtocol.Mongo);

        var facts = Assert.IsType<MongoScanFacts>(report.Mongo);
        Assert.False(facts.ImplicitTls);
        Assert.True(facts.PlaintextHelloAnswered);
        Assert.Equal(21, facts.PlaintextMaxWireVersion);
        Assert.All(report.Versions, v => Assert.False(v.Accepted));
        Assert.Contains("requireTLS", Assert.Single(report.Findings, f => f.Code == FindingCodes.ScanPlaintextAccepted).Message, StringComparison.Ordinal);
        var json = await DbTls.Tests.Cli.CliRun.RunAsync(["scan", $"127.0.0.1:{server.Port}", "--protocol", "mongodb", "--format", "json", "--timeout", "3"]);
        using var document = System.Text.Json.JsonDocument.Parse(json.Stdout);
        Assert.True(document.RootElement.GetProperty("mongo").GetProperty("plaintextHelloAnswered").GetBoolean());
        Assert.False(document.RootElement.GetProperty("mongo").GetProperty("implicitTls").GetBoolean());
    }
}

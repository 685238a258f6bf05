using System.Text.Json;
using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Checks.Tds;
using DbTls.Tests.Cli;
using DbTls.Tests.Servers.Tds;

namespace DbTls.Tests.EndToEnd.Tds;

/// <summary>
/// <c>dbtls check</c> for SQL Server, in process through the real command line, against the TDS test
/// server: each of the three dialects in text and JSON, the --user / DBTLS_PASSWORD overrides, a
/// freetds.conf found through FreeTDS's search order, and every deliberate server fault with its
/// code, verdict and exit code, without a hang and without the password in any output.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TdsCliEndToEndTests : IClassFixture<TdsTestCertificates>, IDisposable
{
    private readonly TdsTestCertificates _certs;
    private readonly TdsTargets _targets;

    public TdsCliEndToEndTests(TdsTestCertificates certs)
    {
        _certs = certs;
        _targets = new TdsTargets(certs);
    }

    public void Dispose() => _targets.Dispose();

    private Dictionary<string, string> Environment(string? password = null, bool withFreeTdsConf = true)
    {
        var environment = new Dictionary<string, string> { ["HOME"] = _targets.Directory };
        if (withFreeTdsConf)
        {
            environment["FREETDSCONF"] = _targets.FreeTdsConfPath;
        }

        if (password is not null)
        {
            environment["DBTLS_PASSWORD"] = password;
        }

        return environment;
    }

    private static void AssertNoPassword(CliResult result, params string[] passwords)
    {
        foreach (var password in passwords)
        {
            Assert.DoesNotContain(password, result.All, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(DriverSetting.SqlClientMandatory, "ON", "full", "encrypted")] // TrustServerCertificate=True: nothing verified
    [InlineData(DriverSetting.JdbcTrue, "ON", "full", "verified")] // trust store with the test root, hostNameInCertificate
    [InlineData(DriverSetting.FreeTdsRequire, "ON", "full", "verified")] // ca file with the test root, host name checked
    [InlineData(DriverSetting.SqlClientOptional, "OFF", "login-only", "login-only")]
    [InlineData(DriverSetting.JdbcFalse, "OFF", "login-only", "login-only")]
    [InlineData(DriverSetting.FreeTdsRequest, "OFF", "login-only", "login-only")]
    public async Task Each_dialect_checks_in_json_and_text(DriverSetting setting, string sent, string scope, string protection)
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions());
        // FreeTDS has no password in its configuration: it comes from DBTLS_PASSWORD.
        var freetds = TdsTargets.DialectOf(setting) == "freetds";
        var target = _targets.ConnectionString(server, setting);
        var environment = Environment(freetds ? server.Options.Password : null);
        string[] user = freetds ? ["--user", server.Options.User] : [];

        var json = await CliRun.RunAsync(["check", target, "--format", "json", "--timeout", "15", .. user], environment);
        var text = await CliRun.RunAsync(["check", target, "--timeout", "15", .. user], environment);

        Assert.True(json.ExitCode == ExitCodes.Ok, json.All);
        Assert.Equal("", json.Stderr);
        var report = ReportJson.Deserialize(json.Stdout)!;
        Assert.Equal(Verdicts.Ok, report.Verdict);
        Assert.Equal(TdsTargets.DialectOf(setting), report.Target.Dialect);
        Assert.Equal(server.Port, report.Target.Port);
        Assert.Equal("prelogin", report.Negotiation.Method);
        Assert.Equal(sent, report.Negotiation.EncryptionSent);
        Assert.Equal(sent, report.Negotiation.EncryptionReceived);
        Assert.Equal(scope, report.Negotiation.Scope);
        Assert.Equal(protection, report.Protection);
        Assert.Equal(scope == "full" ? "TRUE" : "FALSE", report.Server!.EncryptOption);
        Assert.Equal("TSQL", report.Server.ProtocolType);
        Assert.Equal("SQL", report.Server.AuthScheme);
        using (var document = JsonDocument.Parse(json.Stdout))
        {
            var negotiation = document.RootElement.GetProperty("negotiation");
            Assert.Equal(scope, negotiation.GetProperty("scope").GetString());
            Assert.Equal(sent, negotiation.GetProperty("encryptionSent").GetString());
            Assert.Equal(scope == "full" ? "TRUE" : "FALSE", document.RootElement.GetProperty("server").GetProperty("encryptOption").GetString());
        }

        Assert.True(text.ExitCode == ExitCodes.Ok, text.All);
        Assert.Contains($"ENCRYPTION sent {sent}, server answered {sent}", text.Stdout, StringComparison.Ordinal);
        Assert.Contains(scope == "full" ? "the whole session" : "the LOGIN7 packet only", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("Encrypt option", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("Protocol type", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("OK", text.Stdout, StringComparison.Ordinal);
        Assert.Contains(
            protection switch
            {
                "verified" => "protection: verified: encrypted, server certificate and host name checked",
                "encrypted" => "protection: encrypted, server not verified",
                _ => "protection: login only: only the login packet was encrypted",
            },
            text.Stdout,
            StringComparison.Ordinal);
        if (scope == "login-only")
        {
            Assert.Contains(FindingCodes.TlsLoginOnly, text.Stdout, StringComparison.Ordinal);
        }

        AssertNoPassword(json, server.Options.Password);
        AssertNoPassword(text, server.Options.Password);
        Assert.All(await server.WaitForConnectionsAsync(2), r => Assert.True(r.LoginSucceeded, r.ToString()));
    }

    [Theory]
    [InlineData(DriverSetting.SqlClientMandatory)]
    [InlineData(DriverSetting.JdbcTrue)]
    public async Task User_and_dbtls_password_override_the_string(DriverSetting setting)
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions());
        // The string names another user with a wrong password; --user and DBTLS_PASSWORD win.
        var target = _targets.ConnectionString(server, setting, password: "String-Pw-Wrong-1")
            .Replace($"={server.Options.User};", "=someone-else;", StringComparison.Ordinal);

        var result = await CliRun.RunAsync(["check", target, "--format", "json", "--user", server.Options.User], Environment(server.Options.Password));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.All);
        var report = ReportJson.Deserialize(result.Stdout)!;
        Assert.Equal(server.Options.User, report.Target.User);
        Assert.Contains("user: --user", report.Target.Sources);
        Assert.Contains("password: DBTLS_PASSWORD", report.Target.Sources);
        Assert.True(report.Login!.Succeeded);
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.Equal(server.Options.User, record.Login!.UserName);
        AssertNoPassword(result, server.Options.Password, "String-Pw-Wrong-1");
    }

    [Fact]
    public async Task Freetds_without_dbtls_password_stops_before_login()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions());
        var target = _targets.ConnectionString(server, DriverSetting.FreeTdsRequire);

        var result = await CliRun.RunAsync(["check", target, "--format", "json", "--user", server.Options.User], Environment());

        Assert.True(result.ExitCode == ExitCodes.Ok, result.All);
        var report = ReportJson.Deserialize(result.Stdout)!;
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.AuthSkipped);
        Assert.False(report.Login!.Attempted);
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.Null(record.Login);
    }

    [Fact]
    public async Task Freetds_conf_is_found_through_the_search_order_and_the_report_says_which_and_why()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions());
        var section = _targets.WriteFreeTdsConf(server, DriverSetting.FreeTdsRequire);
        // No FREETDSCONF: FreeTDS looks in ~/.config/freetds.conf (absent here), then ~/.freetds.conf.
        File.Move(_targets.FreeTdsConfPath, Path.Combine(_targets.Directory, ".freetds.conf"));

        var json = await CliRun.RunAsync(["check", $"freetds:{section}", "--format", "json", "--user", server.Options.User], Environment(server.Options.Password, withFreeTdsConf: false));
        var text = await CliRun.RunAsync(["check", $"freetds:{section}", "--user", server.Options.User], Environment(server.Options.Password, withFreeTdsConf: false));

        Assert.True(json.ExitCode == ExitCodes.Ok, json.All);
        var report = ReportJson.Deserialize(json.Stdout)!;
        Assert.Equal("freetds", report.Target.Dialect);
        Assert.Equal($"freetds:{section}", report.Target.ConnectionString);
        Assert.Contains(report.Target.Sources, s => s.StartsWith($"freetds.conf: ~/.freetds.conf (user file; the first file in FreeTDS's search order that defines [{section}])", StringComparison.Ordinal));
        Assert.Contains("password: DBTLS_PASSWORD", report.Target.Sources);
        Assert.Contains("encryption = require", report.Policy!.Summary, StringComparison.Ordinal);
        Assert.Equal("full", report.Negotiation.Scope);
        Assert.Contains(report.Tls!.Validation, s => s.Step == "chain" && s.Outcome == "passed");
        Assert.Contains("~/.freetds.conf", text.Stdout, StringComparison.Ordinal);
        AssertNoPassword(json, server.Options.Password);
        AssertNoPassword(text, server.Options.Password);
    }

    [Fact]
    public async Task Freetdsconf_wins_over_the_home_file()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions());
        var section = _targets.WriteFreeTdsConf(server, DriverSetting.FreeTdsRequire);
        // The same section in ~/.freetds.conf points at a port nobody listens on; FREETDSCONF comes first.
        await File.WriteAllTextAsync(Path.Combine(_targets.Directory, ".freetds.conf"), $"[{section}]\n    host = 127.0.0.1\n    port = 1\n");

        var result = await CliRun.RunAsync(["check", $"freetds:{section}", "--format", "json", "--user", server.Options.User], Environment(server.Options.Password));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.All);
        var report = ReportJson.Deserialize(result.Stdout)!;
        Assert.Contains(report.Target.Sources, s => s.StartsWith($"freetds.conf: {_targets.FreeTdsConfPath} (FREETDSCONF=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Strict_in_text_and_json()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { Strict = TdsStrictMode.Required }));
        var target = _targets.ConnectionString(server, DriverSetting.JdbcStrict);

        var json = await CliRun.RunAsync(["check", target, "--format", "json"], Environment());
        var text = await CliRun.RunAsync(["check", target], Environment());

        Assert.True(json.ExitCode == ExitCodes.Ok, json.All);
        var report = ReportJson.Deserialize(json.Stdout)!;
        Assert.Equal("strict", report.Negotiation.Method);
        Assert.Equal("tds/8.0", report.Tls!.Alpn);
        Assert.Contains("strict, encrypted", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("tds/8.0", text.Stdout, StringComparison.Ordinal);
        AssertNoPassword(json, server.Options.Password);
        AssertNoPassword(text, server.Options.Password);
    }

    [Theory]
    [InlineData(TdsServerMisbehavior.Silent, FindingCodes.NetTimeout, ExitCodes.Network, Verdicts.Failed)]
    [InlineData(TdsServerMisbehavior.TruncatedPreLogin, FindingCodes.ServerClosed, ExitCodes.Rejected, Verdicts.Rejected)]
    [InlineData(TdsServerMisbehavior.OversizedPreLogin, FindingCodes.ServerMessageTooLarge, ExitCodes.Rejected, Verdicts.Rejected)]
    [InlineData(TdsServerMisbehavior.MalformedPreLogin, FindingCodes.ServerProtocolViolation, ExitCodes.Rejected, Verdicts.Rejected)]
    [InlineData(TdsServerMisbehavior.CloseAfterPreLogin, FindingCodes.ServerClosed, ExitCodes.Rejected, Verdicts.Rejected)]
    [InlineData(TdsServerMisbehavior.DropOutOfTls, FindingCodes.ServerPlaintextAfterTls, ExitCodes.Rejected, Verdicts.Rejected)]
    [InlineData(TdsServerMisbehavior.ErrorInsteadOfTls, FindingCodes.ServerProtocolViolation, ExitCodes.Rejected, Verdicts.Rejected)]
    [InlineData(TdsServerMisbehavior.MalformedLoginResponse, FindingCodes.ServerProtocolViolation, ExitCodes.Rejected, Verdicts.Rejected)]
    public async Task Hostile_servers_get_their_code_and_exit_code_without_a_hang_or_a_leak(TdsServerMisbehavior misbehavior, string code, int exitCode, string verdict)
    {
        // DBTLS_PASSWORD overrides the string's password, so it is the one the server must accept.
        const string envPassword = "Env-Passw0rd-Hostile";
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { Misbehavior = misbehavior, Password = envPassword }));
        foreach (var setting in new[] { DriverSetting.SqlClientMandatory, DriverSetting.JdbcTrue, DriverSetting.FreeTdsRequire })
        {
            var target = _targets.ConnectionString(server, setting);
            var user = TdsTargets.DialectOf(setting) == "freetds" ? new[] { "--user", server.Options.User } : [];
            var watch = System.Diagnostics.Stopwatch.StartNew();

            var json = await CliRun.RunAsync(["check", target, "--format", "json", "--timeout", "3", .. user], Environment(envPassword));
            var text = await CliRun.RunAsync(["check", target, "--timeout", "3", "--verbose", .. user], Environment(envPassword));

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"{setting}: took {watch.Elapsed}");
            Assert.True(json.ExitCode == exitCode, $"{setting}: {json.All}");
            Assert.Equal(exitCode, text.ExitCode);
            var report = ReportJson.Deserialize(json.Stdout)!;
            Assert.Equal(verdict, report.Verdict);
            Assert.Contains(report.Findings, f => f.Code == code && f.Severity == "error");
            Assert.Contains(code, text.Stdout, StringComparison.Ordinal);
            AssertNoPassword(json, server.Options.Password, envPassword);
            AssertNoPassword(text, server.Options.Password, envPassword);
        }

        // Encryption was required: whatever the server did, LOGIN7 never crossed the wire in clear.
        foreach (var record in server.Connections)
        {
            // The silent server's session ends when it sees the client's close. Under the whole suite's load on two
            // cores that was once seen more than 10 s after the check had returned, so the bound is generous; a
            // connection the check never closed would still fail here.
            await record.Completion.WaitAsync(TimeSpan.FromSeconds(45));
            TdsCheckTests.AssertNoCredentialsInClear(server, record);
        }
    }

    [Theory]
    [InlineData("Server=tcp:db.example.com,1433;Encrypt=Sometimes", "sqlclient", "Encrypt")]
    [InlineData(@"Server=db.example.com\SQLEXPRESS;Encrypt=true", "sqlclient", "SQL Server Browser")]
    [InlineData("jdbc:sqlserver://db.example.com:1433;encrypt=sometimes", "jdbc", "encrypt")]
    [InlineData("freetds:no-such-section", "freetds", "is not defined in any freetds.conf")]
    public async Task Strings_the_dialect_refuses_exit_2_before_any_connection(string connectionString, string dialect, string messagePart)
    {
        await File.WriteAllTextAsync(_targets.FreeTdsConfPath, "[global]\n    tds version = 7.4\n");

        var json = await CliRun.RunAsync(["check", connectionString, "--format", "json"], Environment());
        var text = await CliRun.RunAsync(["check", connectionString], Environment());

        Assert.Equal(ExitCodes.InvalidInput, json.ExitCode);
        Assert.Equal(ExitCodes.InvalidInput, text.ExitCode);
        var report = ReportJson.Deserialize(json.Stdout)!;
        Assert.Equal(dialect, report.Target.Dialect);
        var finding = Assert.Single(report.Findings);
        Assert.Equal(FindingCodes.ConfigInvalid, finding.Code);
        Assert.Contains(messagePart, finding.Message, StringComparison.Ordinal);
        Assert.Contains("FAILED", text.Stdout, StringComparison.Ordinal);
    }
}

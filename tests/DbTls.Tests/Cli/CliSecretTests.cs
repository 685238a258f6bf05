using DbTls.Cli.Dialects;
using DbTls.Diagnostics;

namespace DbTls.Tests.Cli;

/// <summary>Passwords never appear on stdout or stderr, whatever goes wrong and in either format.</summary>
public class CliSecretTests
{
    private const string StringPassword = "Str1ngPassw0rd-7f3a";
    private const string EnvPassword = "EnvPassw0rd-91c2";
    private const string PgPassword = "PgPassw0rd-55d1";

    private static readonly Dictionary<string, string> Env = new()
    {
        ["DBTLS_PASSWORD"] = EnvPassword,
        ["PGPASSWORD"] = PgPassword,
    };

    public static TheoryData<string> FailingStrings => new()
    {
        // libpq keyword/value and URI forms, through the real libpq parser.
        $"host=127.0.0.1 port=1 user=alice password={StringPassword} sslmode=not-a-mode",
        $"host=127.0.0.1 port=1 password='{StringPassword}' no_such_keyword=1",
        $"postgresql://alice:{StringPassword}@127.0.0.1:1/app?sslmode=not-a-mode",
        $"postgresql://alice:{Uri.EscapeDataString(StringPassword)}@[::1:1/app",
        $"host=127.0.0.1 port=1 connect_timeout=1 password={StringPassword} sslmode=disable",

        // SQL Server dialects: nothing listens on port 1, and a string the parser refuses.
        $"Server=tcp:127.0.0.1,1;User ID=sa;Password={StringPassword};Encrypt=strict",
        $"Server=tcp:127.0.0.1,1;Pwd=\"{StringPassword}\"",
        $"Server=tcp:127.0.0.1,1;Pwd=\"{StringPassword}\";No Such Keyword=1",
        $"jdbc:sqlserver://127.0.0.1:1;user=sa;password={{{StringPassword}}};encrypt=true",

        // MongoDB, where nothing listens (a loopback address, so the run needs no DNS), and strings of no supported dialect.
        $"mongodb://alice:{StringPassword}@127.0.0.1:1/?tls=true&tlsCertificateKeyFilePassword={StringPassword}",
        $"Host=db;Username=alice;Password={StringPassword}",
        $"no dialect at all {StringPassword}",
    };

    [Theory]
    [MemberData(nameof(FailingStrings))]
    public async Task Failed_checks_never_print_a_password(string connectionString)
    {
        foreach (var format in new[] { "text", "json" })
        {
            var result = await CliRun.RunAsync(["check", connectionString, "--format", format, "--verbose", "--timeout", "2"], Env);

            AssertNoSecrets(result);
            Assert.NotEqual(ExitCodes.Ok, result.ExitCode);
            Assert.NotEqual("", result.Stdout);
        }
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Usage_errors_never_echo_a_password(string format)
    {
        // An unquoted conninfo splits into several arguments; the stray one holds the password.
        var stray = await CliRun.RunAsync(["check", "host=db", $"password={StringPassword}", "--format", format], Env);
        var badTimeout = await CliRun.RunAsync(["check", $"host=db password={StringPassword}", "--timeout", StringPassword, "--format", format], Env);
        var strayUri = await CliRun.RunAsync(["check", "host=db", $"postgresql://u:{StringPassword}@h/d", "--format", format], Env);

        foreach (var result in new[] { stray, badTimeout, strayUri })
        {
            Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
            Assert.NotEqual("", result.Stderr);
            AssertNoSecrets(result);
        }
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task An_exception_that_carries_a_password_is_scrubbed_even_with_verbose(string format)
    {
        // A bug elsewhere that puts a password into an exception message must not reach the output.
        var runner = FakeRunner.Throwing(new InvalidOperationException($"broken near {StringPassword} and {EnvPassword} and {PgPassword}"));
        var result = await CliRun.RunAsync(
            ["check", $"host=db password={StringPassword}", "--format", format, "--verbose"],
            Env,
            h => h with { Runners = h.Runners.With(ConnectionStringDialect.Libpq, runner) });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("internal.error", result.Stdout);
        Assert.Contains("broken near ********", result.All);
        AssertNoSecrets(result);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task A_report_that_carries_a_password_is_scrubbed(string format)
    {
        var report = SampleReports.Full();
        report.Target.ConnectionString = $"host=db password={StringPassword}";
        report.Findings[0].Message = $"server said: password \"{EnvPassword}\" is wrong";
        var runner = FakeRunner.Returning(report);

        var result = await CliRun.RunAsync(
            ["check", $"host=db password={StringPassword}", "--format", format],
            Env,
            h => h with { Runners = h.Runners.With(ConnectionStringDialect.Libpq, runner) });

        Assert.Equal(report.ExitCode, result.ExitCode);
        AssertNoSecrets(result);
    }

    [Fact]
    public async Task A_password_with_json_special_characters_is_scrubbed_in_its_escaped_form()
    {
        const string tricky = "p\"a\\ss<wörd>'&";
        var report = SampleReports.Full();
        report.Findings[0].Message = "echo: " + tricky;
        var runner = FakeRunner.Returning(report);

        var result = await CliRun.RunAsync(
            ["check", "host=db", "--format", "json"],
            new Dictionary<string, string> { ["DBTLS_PASSWORD"] = tricky },
            h => h with { Runners = h.Runners.With(ConnectionStringDialect.Libpq, runner) });

        Assert.DoesNotContain(tricky, result.All);
        Assert.DoesNotContain("w\\u00F6rd", result.All);
        Assert.DoesNotContain("ss\\u003Cw", result.All);
        Assert.Contains("echo: ********", result.Stdout);
    }

    private static void AssertNoSecrets(CliResult result)
    {
        foreach (var secret in new[] { StringPassword, EnvPassword, PgPassword, Uri.EscapeDataString(StringPassword) })
        {
            Assert.DoesNotContain(secret, result.Stdout);
            Assert.DoesNotContain(secret, result.Stderr);
        }
    }
}

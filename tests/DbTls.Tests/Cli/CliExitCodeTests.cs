using System.Text.Json;
using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Tests.Cli;

public class CliExitCodeTests
{
    private static Task<CliResult> RunWith(FakeDialect runner, params string[] args) =>
        CliRun.RunAsync(args, configure: h => h with { Dialects = h.Dialects.With(runner) });

    public static TheoryData<string[]> UsageErrorArgs => new()
    {
        Array.Empty<string>(),
        new[] { "check" },
        new[] { "check", "host=x", "--timeout", "abc" },
        new[] { "check", "host=x", "--timeout", "0" },
        new[] { "check", "host=x", "--timeout", "-5" },
        new[] { "check", "host=x", "--timeout", "1e9" },
        new[] { "check", "host=x", "--format", "yaml" },
        new[] { "check", "host=x", "--no-such-option" },
        new[] { "check", "host=x", "extra" },
        new[] { "frobnicate" },
        new[] { "codes", "--format", "xml" },
    };

    [Theory]
    [MemberData(nameof(UsageErrorArgs))]
    public async Task Usage_errors_exit_2_with_a_message_on_stderr_and_nothing_on_stdout(string[] args)
    {
        var result = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith("dbtls: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--help' for usage.", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Usage_error_with_json_format_still_prints_a_json_report()
    {
        var result = await CliRun.RunAsync(["check", "host=x", "--timeout", "abc", "--format", "json"]);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("failed", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("exitCode").GetInt32());
        var finding = json.RootElement.GetProperty("findings")[0];
        Assert.Equal("config.invalid", finding.GetProperty("code").GetString());
        Assert.Contains("--timeout", finding.GetProperty("message").GetString());
        Assert.Contains("--timeout", result.Stderr);
    }

    [Theory]
    [InlineData("Host=db.example.com;SSL Mode=verify-full", "npgsql")] // Npgsql spells it VerifyFull and refuses the libpq spelling
    [InlineData("this is not a connection string", "unknown")]
    public async Task Dialects_not_supported_yet_are_config_errors_with_exit_2(string connectionString, string dialect)
    {
        var text = await CliRun.RunAsync(["check", connectionString]);
        var json = await CliRun.RunAsync(["check", connectionString, "--format", "json"]);

        Assert.Equal(ExitCodes.InvalidInput, text.ExitCode);
        Assert.Contains("config.invalid", text.Stdout);
        Assert.Contains("FAILED", text.Stdout);

        Assert.Equal(ExitCodes.InvalidInput, json.ExitCode);
        Assert.Equal("", json.Stderr);
        var report = ReportJson.Deserialize(json.Stdout)!;
        Assert.Equal("failed", report.Verdict);
        Assert.Equal(dialect, report.Target.Dialect);
        Assert.Equal("config.invalid", Assert.Single(report.Findings).Code);
        Assert.Equal("error", report.Findings[0].Severity);
    }

    [Theory]
    [InlineData(FindingCodes.NetUnreachable, ExitCodes.Network, "failed")]
    [InlineData(FindingCodes.NetTimeout, ExitCodes.Network, "failed")]
    [InlineData(FindingCodes.ConfigInvalid, ExitCodes.InvalidInput, "failed")]
    [InlineData(FindingCodes.CertUntrusted, ExitCodes.Rejected, "rejected")]
    [InlineData(FindingCodes.ServerTlsUnsupported, ExitCodes.Rejected, "rejected")]
    public async Task A_DbTlsException_from_the_check_maps_to_its_exit_code(string code, int exitCode, string verdict)
    {
        var result = await RunWith(FakeDialect.Throwing(new DbTlsException(code, "what happened")), "check", "host=x", "--format", "json");

        Assert.Equal(exitCode, result.ExitCode);
        var report = ReportJson.Deserialize(result.Stdout)!;
        Assert.Equal(verdict, report.Verdict);
        Assert.Equal(exitCode, report.ExitCode);
        Assert.Equal(code, report.Findings[0].Code);
        Assert.Equal("what happened", report.Findings[0].Message);
        Assert.Equal(FindingCatalog.Get(code).Remedy, report.Findings[0].Remedy);
    }

    [Theory]
    [InlineData(0, "ok")]
    [InlineData(1, "rejected")]
    [InlineData(3, "failed")]
    public async Task The_exit_code_is_the_reports(int exitCode, string verdict)
    {
        var report = SampleReports.Full();
        report.ExitCode = exitCode;
        report.Verdict = verdict;

        var text = await RunWith(FakeDialect.Returning(report), "check", "host=x");
        var json = await RunWith(FakeDialect.Returning(report), "check", "host=x", "-f", "json");

        Assert.Equal(exitCode, text.ExitCode);
        Assert.Equal(exitCode, json.ExitCode);
        Assert.Equal(verdict, ReportJson.Deserialize(json.Stdout)!.Verdict);
    }

    [Fact]
    public async Task An_unexpected_exception_is_an_internal_error_without_stack_trace()
    {
        var result = await RunWith(FakeDialect.Throwing(new InvalidOperationException("kaboom")), "check", "host=x");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("internal.error", result.Stdout);
        Assert.Contains("a bug in dbtls", result.Stdout);
        Assert.DoesNotContain("kaboom", result.All);
        Assert.DoesNotContain("   at ", result.All);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Verbose_adds_the_stack_trace_on_stderr_only()
    {
        var result = await RunWith(FakeDialect.Throwing(new InvalidOperationException("kaboom")), "check", "host=x", "--verbose", "--format", "json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("internal.error", ReportJson.Deserialize(result.Stdout)!.Findings[0].Code);
        Assert.Contains("System.InvalidOperationException", result.Stderr);
        Assert.Contains("   at ", result.Stderr);
        Assert.DoesNotContain("kaboom", result.All);
    }

    [Fact]
    public async Task A_bug_while_rendering_is_an_internal_error_on_stderr()
    {
        var broken = new CheckReport { Target = null!, Negotiation = null!, Findings = null! };

        var quiet = await RunWith(FakeDialect.Returning(broken), "check", "host=x password=Secr3tPassw0rd");
        var verbose = await RunWith(FakeDialect.Returning(broken), "check", "host=x password=Secr3tPassw0rd", "--verbose");

        Assert.Equal(1, quiet.ExitCode);
        Assert.StartsWith("dbtls: internal error: NullReferenceException", quiet.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", quiet.Stderr);
        Assert.Equal(1, verbose.ExitCode);
        Assert.Contains("   at ", verbose.Stderr);
        Assert.DoesNotContain("Secr3tPassw0rd", quiet.All + verbose.All);
    }

    [Fact]
    public async Task A_timeout_inside_the_check_is_a_network_failure()
    {
        var result = await RunWith(FakeDialect.Throwing(new OperationCanceledException()), "check", "host=x", "-f", "json");

        Assert.Equal(ExitCodes.Network, result.ExitCode);
        Assert.Equal(FindingCodes.NetTimeout, ReportJson.Deserialize(result.Stdout)!.Findings[0].Code);
    }

    [Fact]
    public async Task A_libpq_string_the_parser_rejects_is_invalid_input()
    {
        // The real libpq parser runs here: libpq itself refuses the string ("invalid sslmode value"),
        // so dbtls stops before connecting and calls it invalid input.
        var result = await CliRun.RunAsync(["check", "host=127.0.0.1 port=1 sslmode=not-a-mode", "--format", "json"]);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        var report = ReportJson.Deserialize(result.Stdout)!;
        Assert.Equal("libpq", report.Target.Dialect);
        Assert.Equal(Verdicts.Failed, report.Verdict);
        Assert.Equal(ExitCodes.InvalidInput, report.ExitCode);
        var finding = Assert.Single(report.Findings);
        Assert.Equal(FindingCodes.ConfigInvalid, finding.Code);
        Assert.Contains("sslmode", finding.Message, StringComparison.Ordinal);
        Assert.Contains("not-a-mode", finding.Message, StringComparison.Ordinal);
        Assert.Empty(report.Negotiation.Attempts);
    }

    [Fact]
    public void Parse_failures_are_invalid_input_whatever_their_code()
    {
        var finding = FindingCatalog.Create(FindingCodes.CertRootFileMissing, "root.crt does not exist");

        var report = DbTls.Checks.FailureReports.InvalidInput(finding, new TargetReport());
        var bug = DbTls.Checks.FailureReports.InvalidInput(FindingCatalog.Create(FindingCodes.InternalError, "bug"), new TargetReport());

        Assert.Equal((Verdicts.Failed, ExitCodes.InvalidInput), (report.Verdict, report.ExitCode));
        Assert.Equal((Verdicts.Failed, 1), (bug.Verdict, bug.ExitCode));
    }

    [Fact]
    public async Task A_check_that_overruns_its_timeout_is_abandoned_as_a_network_timeout()
    {
        var started = DateTime.UtcNow;
        var result = await CliRun.RunAsync(["check", "host=x", "--timeout", "0.2", "-f", "json"], null, h => h with
        {
            TimeoutGrace = TimeSpan.FromMilliseconds(100),
            Dialects = h.Dialects.With(FakeDialect.Hanging()),
        });

        Assert.Equal(ExitCodes.Network, result.ExitCode);
        Assert.Equal(FindingCodes.NetTimeout, ReportJson.Deserialize(result.Stdout)!.Findings[0].Code);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Ctrl_c_ends_the_check_with_130_and_no_report()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var result = await CliRun.RunAsync(
            ["check", "host=x", "-f", "json"],
            null,
            h => h with { Dialects = h.Dialects.With(FakeDialect.Hanging()) },
            cancellation.Token);

        Assert.Equal(130, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("cancelled", result.Stderr);
    }

    [Fact]
    public async Task Version_prints_the_version_and_exits_0()
    {
        var result = await CliRun.RunAsync(["--version"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(DbTls.Cli.Cli.Version, result.Stdout.Trim());
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Stdout);
    }

    [Fact]
    public async Task Help_for_check_lists_the_options()
    {
        var result = await CliRun.RunAsync(["check", "--help"]);

        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--format", "--timeout", "--user", "--verbose", "connection-string", "DBTLS_PASSWORD" })
        {
            Assert.Contains(option, result.Stdout);
        }
    }
}

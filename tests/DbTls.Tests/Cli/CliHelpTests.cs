using DbTls.Diagnostics;

namespace DbTls.Tests.Cli;

/// <summary>Help, version and usage mistakes (issue 15, "Waiting and help").</summary>
public class CliHelpTests
{
    private static readonly string[] Formats = ["host=", "postgresql://", "Server=", "jdbc:sqlserver://", "freetds:", "mongodb://", "mongodb+srv://"];

    [Fact]
    public async Task Check_help_names_every_supported_format()
    {
        var result = await CliRun.RunAsync(["check", "--help"]);

        foreach (var format in Formats)
        {
            Assert.Contains(format, result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_unrecognised_format_remedy_names_every_format()
    {
        var result = await CliRun.RunAsync(["check", "Foo=1;Bar=2", "--format", "json"]);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        foreach (var format in Formats)
        {
            Assert.Contains(format, result.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("check", "--version")]
    public async Task Version_is_printed_from_the_root_and_from_check(params string[] args)
    {
        var result = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(DbTls.Cli.Cli.Version, result.Stdout.Trim());
    }

    [Fact]
    public async Task Verbose_says_the_dialect_once()
    {
        var result = await CliRun.RunAsync(["check", "-v", "host=127.0.0.1 port=1 connect_timeout=2"]);

        Assert.Equal(1, result.Stderr.Split('\n').Count(l => l.Contains("connection string read as libpq", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task An_unquoted_connection_string_gets_a_hint_to_quote_it(string format)
    {
        var result = await CliRun.RunAsync(["check", "host=localhost", "sslmode=require", "--format", format]);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("quote it as one: dbtls check \"host=localhost sslmode=require\"", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_quote_hint_masks_a_password_among_the_pieces()
    {
        var result = await CliRun.RunAsync(["check", "host=localhost", "password=Hint-Pa55", "sslmode=require"]);

        Assert.Contains("dbtls check \"host=localhost password=******** sslmode=require\"", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Hint-Pa55", result.All, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Codes_shows_one_code_when_given(string format)
    {
        var one = await CliRun.RunAsync(["codes", FindingCodes.NetTimeout, "--format", format]);
        var all = await CliRun.RunAsync(["codes", "--format", format]);

        Assert.Equal(ExitCodes.Ok, one.ExitCode);
        Assert.Contains(FindingCodes.NetTimeout, one.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(FindingCodes.InternalError, one.Stdout, StringComparison.Ordinal);
        Assert.Contains(FindingCodes.InternalError, all.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Codes_with_an_unknown_code_is_invalid_input()
    {
        var result = await CliRun.RunAsync(["codes", "no.such.code"]);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("no.such.code", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Codes_help_points_to_the_catalogue_not_the_report()
    {
        var result = await CliRun.RunAsync(["codes", "--help"]);

        Assert.Contains("finding-codes.md", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("json-report.md", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("<code>", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_strict_connection_does_not_claim_a_prelogin_was_sent()
    {
        var result = await CliRun.RunAsync(["check", "Server=tcp:127.0.0.1,1;Encrypt=Strict", "--timeout", "5"]);

        Assert.NotEqual(ExitCodes.Ok, result.ExitCode);
        Assert.DoesNotContain("ENCRYPTION sent NOT_SUP", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("not sent (strict", result.Stdout, StringComparison.Ordinal);
    }
}

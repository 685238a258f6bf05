using System.Text.Json;
using System.Xml.Linq;
using DbTls.Tests.Cli;

namespace DbTls.Tests.Fleet;

/// <summary>
/// A bad <c>dbtls check</c> command line that asked for a CI format still writes a valid document of that format
/// (and the message on standard error), holding config.invalid, with the string's password masked.
/// </summary>
public sealed class FleetUsageErrorTests
{
    private const string Password = "Usage-Secret-7";
    private const string ConnectionString = "host=db.example password=" + Password + " sslmode=require";

    [Fact]
    public async Task Ndjson_gets_one_line_with_config_invalid()
    {
        var run = await CliRun.RunAsync(["check", ConnectionString, "--format", "ndjson", "--no-such-option"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--no-such-option", run.Stderr, StringComparison.Ordinal);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        using var json = JsonDocument.Parse(line);
        Assert.Equal("config.invalid", json.RootElement.GetProperty("findings")[0].GetProperty("code").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.StartsWith("host=db.example", json.RootElement.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sarif_gets_a_log_whose_result_is_config_invalid()
    {
        var run = await CliRun.RunAsync(["check", ConnectionString, "--format", "sarif", "--timeout", "never"]);

        Assert.Equal(2, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("2.1.0", json.RootElement.GetProperty("version").GetString());
        var result = Assert.Single(json.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray());
        Assert.Equal("config.invalid", result.GetProperty("ruleId").GetString());
        Assert.DoesNotContain(Password, run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Junit_gets_a_failed_case_and_a_command_line_without_a_string_is_named_as_such()
    {
        var run = await CliRun.RunAsync(["check", "--format", "junit", "--concurrency", "0", "--targets", "inventory.txt"]);

        Assert.Equal(2, run.ExitCode);
        var xml = XDocument.Parse(run.Stdout);
        var testCase = Assert.Single(xml.Descendants("testcase"));
        Assert.Equal("(command line)", testCase.Attribute("name")?.Value);
        Assert.Contains("config.invalid", testCase.Element("failure")?.ToString() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_gets_only_the_message()
    {
        var run = await CliRun.RunAsync(["check", ConnectionString, "--no-such-option"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
    }
}

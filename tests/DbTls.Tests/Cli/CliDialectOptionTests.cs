using System.Text.Json;
using DbTls.Diagnostics;

namespace DbTls.Tests.Cli;

public class CliDialectOptionTests
{
    [Fact]
    public async Task Dialect_option_reads_the_string_as_the_named_driver_instead_of_detecting_it()
    {
        // Both refuse the string before any network step; what differs is whose rules refused it.
        var detected = await CliRun.RunAsync(["check", "host=db.invalid sslmode=bogus", "--format", "json"]);
        var forced = await CliRun.RunAsync(["check", "host=db.invalid sslmode=bogus", "--dialect", "SqlClient", "--format", "json"]);

        using var detectedJson = JsonDocument.Parse(detected.Stdout);
        using var forcedJson = JsonDocument.Parse(forced.Stdout);
        Assert.Equal("libpq", detectedJson.RootElement.GetProperty("target").GetProperty("dialect").GetString());
        Assert.Equal("sqlclient", forcedJson.RootElement.GetProperty("target").GetProperty("dialect").GetString());
        Assert.Equal(ExitCodes.InvalidInput, forced.ExitCode);
    }

    [Fact]
    public async Task Unknown_dialect_name_is_a_usage_error_listing_the_names_without_echoing_the_value()
    {
        var result = await CliRun.RunAsync(["check", "host=x", "--dialect", "s3cretvalue"]);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("--dialect takes one of: libpq", result.Stderr);
        Assert.DoesNotContain("s3cretvalue", result.All);
    }
}

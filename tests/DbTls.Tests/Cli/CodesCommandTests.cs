using System.Text.Json;
using DbTls.Diagnostics;

namespace DbTls.Tests.Cli;

public class CodesCommandTests
{
    [Fact]
    public async Task Json_lists_the_whole_catalogue()
    {
        var result = await CliRun.RunAsync(["codes", "--format", "json"]);

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        var entries = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(FindingCatalog.All.Select(e => e.Code), entries.Select(e => e.GetProperty("code").GetString()));
        foreach (var entry in entries)
        {
            var code = entry.GetProperty("code").GetString()!;
            var catalog = FindingCatalog.Get(code);
            Assert.Equal(catalog.Severity.ToString().ToLowerInvariant(), entry.GetProperty("severity").GetString());
            Assert.Equal(catalog.Summary, entry.GetProperty("summary").GetString());
            Assert.Equal(catalog.Remedy, entry.GetProperty("remedy").GetString());
            if (catalog.Severity == Severity.Error)
            {
                Assert.Equal(FindingCatalog.ExitCodeFor(code), entry.GetProperty("exitCode").GetInt32());
            }
            else
            {
                Assert.False(entry.TryGetProperty("exitCode", out _), "warnings and notes do not end a check");
            }
        }
    }

    [Fact]
    public async Task Text_shows_each_code_with_severity_and_fix()
    {
        // On a terminal (without colour, so line lengths are the text's) the text wraps at its 80 columns.
        var result = await CliRun.RunAsync(["codes"], new Dictionary<string, string> { ["NO_COLOR"] = "1" }, h => h with { OutputIsTerminal = true });

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n');
        foreach (var entry in FindingCatalog.All)
        {
            Assert.Contains(lines, l => l.StartsWith($"{entry.Code}  {entry.Severity.ToString().ToLowerInvariant()}", StringComparison.Ordinal));
        }

        Assert.Equal(FindingCatalog.All.Count(), lines.Count(l => l.StartsWith("  Fix: ", StringComparison.Ordinal)));
        Assert.All(lines, l => Assert.True(l.Length <= 80, l));
    }
}

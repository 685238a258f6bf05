using System.Text.Json;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Golden;

/// <summary>
/// The JSON reports of a fixed set of <c>dbtls check</c> runs, compared with the files in
/// Golden/expected after the volatile fields are masked (see <see cref="GoldenReport"/>). A refactoring
/// that changes behaviour changes one of these files; <c>DBTLS_GOLDEN_UPDATE=1</c> rewrites them
/// (see Golden/README.md).
/// </summary>
[Trait("Category", "Golden")]
[Trait("Category", "Integration")]
public sealed class GoldenReportTests(GoldenFixture fixture) : IClassFixture<GoldenFixture>
{
    private static readonly string ExpectedDirectory = Path.Combine(RepoPaths.Root, "tests", "DbTls.Tests", "Golden", "expected");

    private static bool Updating => Environment.GetEnvironmentVariable("DBTLS_GOLDEN_UPDATE") == "1";

    public static TheoryData<string> Cases => new(GoldenCases.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Report_is_unchanged(string name)
    {
        var run = await GoldenCases.Named(name).RunAsync(fixture);

        // The same process exit code as the report states, no stray output, and a document that parses.
        Assert.True(run.Result.Stderr.Length == 0, run.Result.Stderr);
        using (var document = JsonDocument.Parse(run.Result.Stdout))
        {
            Assert.Equal(run.Result.ExitCode, document.RootElement.GetProperty("exitCode").GetInt32());
        }

        var actual = GoldenReport.Normalize(run.Result.Stdout, run.Volatiles);
        var path = Path.Combine(ExpectedDirectory, name + ".json");
        if (Updating)
        {
            Directory.CreateDirectory(ExpectedDirectory);
            await File.WriteAllTextAsync(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"no golden file {path}; run with DBTLS_GOLDEN_UPDATE=1 to create it");
        var expected = (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n");
        Assert.True(
            string.Equals(expected, actual, StringComparison.Ordinal),
            $"the report of '{name}' changed at {GoldenReport.FirstDifference(expected, actual)}\nwhole report:\n{actual}");
    }

    [Fact]
    public void Every_golden_file_belongs_to_a_case()
    {
        var files = Directory.EnumerateFiles(ExpectedDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(GoldenCases.All.Select(c => c.Name).Order(StringComparer.Ordinal), files);
    }
}

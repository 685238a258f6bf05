using DbTls.Tests.Cli;

namespace DbTls.Tests.Fleet;

/// <summary>Command-line errors of the fleet options: exit 2, a message that says what to do, and no secret echoed.</summary>
public sealed class FleetCliOptionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dbtls-fleet-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(new[] { "check" }, "either one connection string or --targets")]
    [InlineData(new[] { "check", "host=a", "--targets", "x.txt" }, "either one connection string or --targets")]
    [InlineData(new[] { "check", "host=a", "--require", "verifed" }, "--require takes verified, encrypted")]
    [InlineData(new[] { "check", "host=a", "--fail-on", "info" }, "'warning'")]
    [InlineData(new[] { "check", "--targets", "x.txt", "--concurrency", "0" }, "--concurrency takes a whole number")]
    [InlineData(new[] { "check", "--targets", "x.txt", "--deadline", "soon" }, "--deadline takes a number of seconds")]
    [InlineData(new[] { "report", "r.ndjson" }, "--html")]
    [InlineData(new[] { "exporter", "--targets", "x.txt", "--listen", "localhost" }, "--listen takes an IP address and port")]
    public async Task Bad_options_exit_2_and_say_what_is_expected(string[] args, string expected)
    {
        var run = await CliRun.RunAsync(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inventory_with_a_password_is_refused_before_any_connection_and_the_password_is_not_shown()
    {
        var inventory = Path.Combine(_directory, "inventory.txt");
        File.WriteAllText(inventory, "# prod\nhost=db1 sslmode=require\nhost=db2 password=Hunter-22-secret sslmode=require\n");
        var run = await CliRun.RunAsync(["check", "--targets", inventory, "--format", "ndjson"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("inventory target 3 holds a password", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Hunter-22-secret", run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_files_exit_2_with_the_file_named()
    {
        var missing = Path.Combine(_directory, "nope.txt");
        foreach (var args in new[] { new[] { "check", "--targets", missing }, ["report", missing, "--html", Path.Combine(_directory, "o.html")], ["exporter", "--targets", missing] })
        {
            var run = await CliRun.RunAsync(args);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains($"{missing} cannot be read (no such file)", run.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_policy_file_is_read_by_require()
    {
        var policy = Path.Combine(_directory, "policy.json");
        File.WriteAllText(policy, """{"require": ["verified", "bogus"]}""");
        var run = await CliRun.RunAsync(["check", "host=a", "--require", policy]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("requires 'bogus'", run.Stderr, StringComparison.Ordinal);
    }
}

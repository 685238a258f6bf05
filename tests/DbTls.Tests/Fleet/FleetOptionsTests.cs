using System.Text.Json;
using DbTls.Tests.Cli;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Mongo;

namespace DbTls.Tests.Fleet;

/// <summary>
/// Per-target <c>options</c> in a JSON inventory (PyMongo keyword arguments, as <c>--option KEY=VALUE</c>) against the
/// MongoDB test server: a CA file given only as an option makes the target verify, each line says what a single
/// <c>dbtls check URI --option ...</c> says, the command line's options reach every target, a non-MongoDB target with
/// options is config.invalid, and an option that holds a secret is refused before anything connects.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FleetOptionsTests(LocalhostCertificateFixture certificate) : IClassFixture<LocalhostCertificateFixture>, IDisposable
{
    private readonly string _directory = OwnedTempDirectory.Create("dbtls-fleet-options-");

    public void Dispose() => OwnedTempDirectory.TryDelete(_directory);

    private string Write(string name, object inventory)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, JsonSerializer.Serialize(inventory));
        return path;
    }

    private static Dictionary<string, JsonElement> ByName(string ndjson) =>
        ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToDictionary(l => l.GetProperty("name").GetString()!, StringComparer.Ordinal);

    private static string Codes(JsonElement report) =>
        string.Join(",", report.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()));

    [Fact]
    public async Task A_targets_options_are_its_keyword_arguments_and_the_command_lines_reach_every_target()
    {
        await using var mongo = MongoTestServer.Start(new MongoTestServerOptions { Certificate = certificate.Leaf.Certificate });
        var root = CertFactory.WritePem(Path.Combine(_directory, "root.pem"), certificate.Root.CertificatePem);
        var uri = $"mongodb://localhost:{mongo.Port}/?tls=true&connectTimeoutMS=5000";
        var inventory = Write("inventory.json", new
        {
            targets = new object[]
            {
                new { name = "ca-by-option", connectionString = uri, options = new Dictionary<string, string> { ["tlsCAFile"] = root } },
                new { name = "no-ca", connectionString = uri },
                new { name = "postgres-with-option", connectionString = "host=localhost port=1 sslmode=require", options = new Dictionary<string, string> { ["tlsCAFile"] = root } },
            },
        });

        var run = await CliRun.RunAsync(["check", "--targets", inventory, "--format", "ndjson"]);
        var lines = ByName(run.Stdout);

        var single = await CliRun.RunAsync(["check", uri, "--option", $"tlsCAFile={root}", "--format", "json"]);
        using var singleJson = JsonDocument.Parse(single.Stdout);
        Assert.Equal(0, single.ExitCode);
        Assert.Equal(0, lines["ca-by-option"].GetProperty("exitCode").GetInt32());
        Assert.Equal(Codes(singleJson.RootElement), Codes(lines["ca-by-option"]));
        Assert.Equal("pymongo", lines["ca-by-option"].GetProperty("target").GetProperty("dialect").GetString());

        Assert.Equal(1, lines["no-ca"].GetProperty("exitCode").GetInt32());
        Assert.Equal(2, lines["postgres-with-option"].GetProperty("exitCode").GetInt32());
        Assert.Contains("config.invalid", Codes(lines["postgres-with-option"]), StringComparison.Ordinal);

        // --option on the command line is every target's: the target without a CA file now verifies too.
        var withOption = await CliRun.RunAsync(["check", "--targets", Write("mongo-only.json", new { targets = new[] { new { name = "no-ca", connectionString = uri } } }), "--format", "ndjson", "--option", $"tlsCAFile={root}"]);
        Assert.True(withOption.ExitCode == 0, withOption.All);
        Assert.Equal("pymongo", ByName(withOption.Stdout)["no-ca"].GetProperty("target").GetProperty("dialect").GetString());
    }

    [Fact]
    public async Task An_option_that_holds_a_secret_is_refused_before_anything_connects()
    {
        var inventory = Write("secret.json", new
        {
            targets = new[] { new { name = "m", connectionString = "mongodb://localhost:1/?tls=true", options = new Dictionary<string, string> { ["tlsCertificateKeyFilePassword"] = "Opt-Secret-5" } } },
        });

        var run = await CliRun.RunAsync(["check", "--targets", inventory, "--format", "ndjson"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("tlsCertificateKeyFilePassword, which holds a secret", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Opt-Secret-5", run.All, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }
}

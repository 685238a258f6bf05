using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DbTls.Tests.Cli;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Scan;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.Fleet;

/// <summary>
/// <c>dbtls scan --targets</c> over real servers: PostgreSQL 18 by its connection string, <c>openssl s_server</c> by
/// host:port (protocol detected), and a closed port. Each line must say what a single <c>dbtls scan</c> of the same
/// target says; <c>--resume</c> skips what a results file already holds.
/// </summary>
[Trait("Category", "Integration")]
[Collection(Postgres18Collection.Name)]
public sealed class FleetScanTests(Postgres18Fixture fixture, LocalhostCertificateFixture certificate) : IClassFixture<LocalhostCertificateFixture>, IAsyncLifetime
{
    private readonly string _directory = OwnedTempDirectory.Create("dbtls-fleet-scan-");
    private ScanOpenSslServer? _openssl;
    private int _closedPort;

    public async Task InitializeAsync()
    {
        _openssl = await ScanOpenSslServer.StartAsync(certificate.Leaf, "-max_protocol", "TLSv1.2");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
    }

    public async Task DisposeAsync()
    {
        if (_openssl is not null)
        {
            await _openssl.DisposeAsync();
        }

        OwnedTempDirectory.TryDelete(_directory);
    }

    private Dictionary<string, string> Targets() => new()
    {
        ["postgres"] = $"host=localhost port={fixture.Server.Port} user={PostgresUsers.Scram} dbname=postgres sslmode=require",
        ["openssl"] = $"127.0.0.1:{_openssl!.EndPoint.Port}",
        ["closed"] = $"127.0.0.1:{_closedPort}",
    };

    private string WriteInventory(IReadOnlyDictionary<string, string> targets)
    {
        var entries = targets.Select(t => new Dictionary<string, string> { ["name"] = t.Key, ["group"] = "g-" + t.Key, ["connectionString"] = t.Value }).ToList();
        var path = Path.Combine(_directory, $"inventory-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object> { ["targets"] = entries }));
        return path;
    }

    private static List<JsonElement> Lines(string ndjson) =>
        [.. ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    /// <summary>What a scan found: protocol, exit code, accepted versions, finding codes, the leaf's fingerprint.</summary>
    private static string Summary(JsonElement report)
    {
        var versions = report.TryGetProperty("versions", out var v)
            ? string.Join(",", v.EnumerateArray().Where(e => e.GetProperty("accepted").GetBoolean()).Select(e => e.GetProperty("version").GetString()))
            : "";
        var codes = string.Join(",", report.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()));
        var leaf = report.TryGetProperty("certificates", out var c) && c.GetArrayLength() > 0 ? c[0].GetProperty("sha256").GetString() : "-";
        return $"{report.GetProperty("protocol")} {report.GetProperty("exitCode")} [{versions}] [{codes}] {leaf}";
    }

    [Fact]
    public async Task Every_line_says_what_a_single_scan_says()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var targets = Targets();
        var run = await CliRun.RunAsync(["scan", "--targets", WriteInventory(targets), "--format", "ndjson", "--concurrency", "3", "--timeout", "3"]);

        var lines = Lines(run.Stdout);
        Assert.Equal(targets.Keys.Order(StringComparer.Ordinal), lines.Select(l => l.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(lines, l => Assert.Equal("g-" + l.GetProperty("name").GetString(), l.GetProperty("group").GetString()));
        Assert.All(lines, l => Assert.False(l.TryGetProperty("elapsedMs", out _), "a line holds nothing time-of-run"));

        var singleExitCodes = new List<int>();
        foreach (var (name, target) in targets)
        {
            var single = await CliRun.RunAsync(["scan", target, "--format", "json", "--timeout", "3"]);
            singleExitCodes.Add(single.ExitCode);
            using var json = JsonDocument.Parse(single.Stdout);
            Assert.Equal(Summary(json.RootElement), Summary(lines.Single(l => l.GetProperty("name").GetString() == name)));
        }

        // The PostgreSQL and openssl servers answer TLS; the closed port is unreachable, and the fleet says so.
        Assert.Equal(3, lines.Single(l => l.GetProperty("name").GetString() == "closed").GetProperty("exitCode").GetInt32());
        Assert.Contains("TLSv1.2", Summary(lines.Single(l => l.GetProperty("name").GetString() == "openssl")), StringComparison.Ordinal);
        Assert.DoesNotContain("TLSv1.3", Summary(lines.Single(l => l.GetProperty("name").GetString() == "openssl")), StringComparison.Ordinal);
        Assert.Equal(singleExitCodes.Contains(1) ? 1 : 3, run.ExitCode);
    }

    [Fact]
    public async Task Resume_scans_only_the_targets_the_results_file_lacks_and_json_is_one_array()
    {
        var targets = Targets();
        var inventory = WriteInventory(targets);
        var results = Path.Combine(_directory, "partial.ndjson");
        var first = await CliRun.RunAsync(["scan", "--targets", inventory, "--format", "ndjson", "--timeout", "3"]);
        var done = Lines(first.Stdout).Where(l => l.GetProperty("name").GetString() != "openssl").Select(l => l.GetRawText());
        File.WriteAllText(results, string.Join("\n", done) + "\n{\"name\": \"cut sh");

        var resumed = await CliRun.RunAsync(["scan", "--targets", inventory, "--format", "json", "--resume", results, "--timeout", "3"]);

        using var array = JsonDocument.Parse(resumed.Stdout);
        Assert.Equal(["openssl"], array.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToArray());
        var openssl = Lines(first.Stdout).Single(l => l.GetProperty("name").GetString() == "openssl");
        Assert.Equal(openssl.GetProperty("exitCode").GetInt32(), resumed.ExitCode);
    }

    [Fact]
    public async Task A_target_and_targets_together_are_a_usage_error_and_an_inventory_with_a_password_is_refused()
    {
        var both = await CliRun.RunAsync(["scan", "127.0.0.1:1", "--targets", WriteInventory(new Dictionary<string, string> { ["a"] = "127.0.0.1:1" })]);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("one target or --targets", both.Stderr, StringComparison.Ordinal);

        var secret = await CliRun.RunAsync(["scan", "--targets", WriteInventory(new Dictionary<string, string> { ["a"] = "host=localhost port=1 password=Hunter2-Secret" })]);
        Assert.Equal(2, secret.ExitCode);
        Assert.DoesNotContain("Hunter2-Secret", secret.All, StringComparison.Ordinal);
        Assert.Contains("holds a password", secret.Stderr, StringComparison.Ordinal);
    }
}

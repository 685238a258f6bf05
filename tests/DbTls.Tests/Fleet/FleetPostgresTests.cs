using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Xml;
using DbTls.Tests.Cli;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Postgres;
using Xunit.Abstractions;

namespace DbTls.Tests.Fleet;

/// <summary>
/// <c>dbtls check --targets</c> over a fleet of 20 real targets: PostgreSQL 18 with a good certificate (verified, and
/// encrypted-only with sslmode=require), the same server under a name its certificate does not carry, an untrusted
/// root, PostgreSQL 15 with an expired certificate, and a closed port. Each line must say what a single check of the
/// same string says, and the exit codes must be the ones each kind of target has by its nature.
/// </summary>
[Trait("Category", "Integration")]
[Collection(Postgres18Collection.Name)]
public sealed class FleetPostgresTests(Postgres18Fixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _directory = OwnedTempDirectory.Create("dbtls-fleet-");
    private PostgresServer? _expired;
    private int _closedPort;

    private PgCertificateFixtures Certs => fixture.Certificates;

    private Dictionary<string, string> Environment => new() { ["DBTLS_PASSWORD"] = PostgresUsers.ScramPassword };

    public async Task InitializeAsync()
    {
        _expired = await PostgresServer.StartAsync(PostgresVersion.V15, Certs.Expired.Material);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
    }

    public async Task DisposeAsync()
    {
        if (_expired is not null)
        {
            await _expired.DisposeAsync();
        }

        OwnedTempDirectory.TryDelete(_directory);
    }

    /// <summary>Kind of target → (connection string, the exit code a single check has for it by its nature).</summary>
    private Dictionary<string, (string ConnectionString, int Exit)> Kinds()
    {
        var user = $"user={PostgresUsers.Scram} dbname=postgres";
        return new()
        {
            ["good"] = ($"host=localhost port={fixture.Server.Port} {user} sslmode=verify-full sslrootcert={Certs.RootPath}", 0),
            ["require"] = ($"host=localhost port={fixture.Server.Port} {user} sslmode=require", 0),
            ["wrong-name"] = ($"host=db.dbtls.test hostaddr=127.0.0.1 port={fixture.Server.Port} {user} sslmode=verify-full sslrootcert={Certs.RootPath}", 1),
            ["untrusted"] = ($"host=localhost port={fixture.Server.Port} {user} sslmode=verify-full sslrootcert={Certs.WrongRootPath}", 1),
            ["expired"] = ($"host=localhost port={_expired!.Port} {user} sslmode=verify-full sslrootcert={Certs.RootPath}", 1),
            ["refused"] = ($"host=localhost port={_closedPort} {user} sslmode=verify-full sslrootcert={Certs.RootPath} connect_timeout=5", 3),
        };
    }

    /// <summary>20 targets: 6 good, 3 of each other kind except 2 untrusted; named kind-N, grouped by kind.</summary>
    private List<(string Name, string Kind)> Fleet()
    {
        var counts = new Dictionary<string, int> { ["good"] = 6, ["require"] = 3, ["wrong-name"] = 3, ["untrusted"] = 2, ["expired"] = 3, ["refused"] = 3 };
        return [.. counts.SelectMany(c => Enumerable.Range(1, c.Value).Select(i => ($"{c.Key}-{i}", c.Key)))];
    }

    private string WriteInventory(IEnumerable<(string Name, string Kind)> targets)
    {
        var kinds = Kinds();
        var entries = targets.Select(t => new Dictionary<string, string> { ["name"] = t.Name, ["group"] = t.Kind, ["connectionString"] = kinds[t.Kind].ConnectionString });
        var path = Path.Combine(_directory, $"inventory-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object> { ["targets"] = entries.ToList() }));
        return path;
    }

    private static List<JsonElement> Lines(string ndjson) =>
        [.. ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    [Fact]
    public async Task Every_line_says_what_a_single_check_says_and_exits_as_its_kind_does()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var fleet = Fleet();
        var inventory = WriteInventory(fleet);
        var run = await CliRun.RunAsync(["check", "--targets", inventory, "--format", "ndjson", "--concurrency", "8"], Environment);

        var lines = Lines(run.Stdout);
        Assert.Equal(fleet.Select(t => t.Name).Order(StringComparer.Ordinal), lines.Select(l => l.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        var kinds = Kinds();
        foreach (var line in lines)
        {
            var kind = line.GetProperty("group").GetString()!;
            Assert.True(kinds[kind].Exit == line.GetProperty("exitCode").GetInt32(), $"{kind}: {line}");
        }

        // A rejected target is the most telling: the fleet exits 1.
        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain(PostgresUsers.ScramPassword, run.All, StringComparison.Ordinal);

        // One target of each kind, checked alone, gives the same verdict, protection, findings and certificate.
        foreach (var (kind, (connectionString, _)) in kinds)
        {
            var single = await CliRun.RunAsync(["check", connectionString, "--format", "json"], Environment);
            using var json = JsonDocument.Parse(single.Stdout);
            var line = lines.First(l => l.GetProperty("group").GetString() == kind);
            Assert.Equal(Summary(json.RootElement), Summary(line));
        }
    }

    private static string Summary(JsonElement report)
    {
        var codes = string.Join(",", report.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()));
        var leaf = report.TryGetProperty("tls", out var tls) && tls.TryGetProperty("certificates", out var certs) && certs.GetArrayLength() > 0
            ? certs[0].GetProperty("sha256").GetString()
            : "-";
        return $"{report.GetProperty("verdict")} {report.GetProperty("exitCode")} {report.GetProperty("protection")} {codes} {leaf}";
    }

    [Fact]
    public async Task A_single_checks_json_carries_the_gates_outcome()
    {
        var kinds = Kinds();
        var encrypted = await CliRun.RunAsync(["check", kinds["require"].ConnectionString, "--format", "json", "--require", "verified"], Environment);
        var verified = await CliRun.RunAsync(["check", kinds["good"].ConnectionString, "--format", "json", "--require", "verified"], Environment);

        Assert.True(encrypted.ExitCode == 4, encrypted.All);
        using var failed = JsonDocument.Parse(encrypted.Stdout);
        var gate = failed.RootElement.GetProperty("gate");
        Assert.False(gate.GetProperty("passed").GetBoolean());
        Assert.Equal(4, gate.GetProperty("exitCode").GetInt32());
        var failure = Assert.Single(gate.GetProperty("failures").EnumerateArray());
        Assert.Equal("verified", failure.GetProperty("requirement").GetString());
        Assert.Contains("protection is encrypted", failure.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("requirement verified not met", encrypted.Stderr, StringComparison.Ordinal);

        Assert.True(verified.ExitCode == 0, verified.All);
        using var passed = JsonDocument.Parse(verified.Stdout);
        Assert.True(passed.RootElement.GetProperty("gate").GetProperty("passed").GetBoolean());
        Assert.Empty(passed.RootElement.GetProperty("gate").GetProperty("failures").EnumerateArray());

        // Without a gate the report has no gate field (the golden reports pin that shape).
        var plain = await CliRun.RunAsync(["check", kinds["good"].ConnectionString, "--format", "json"], Environment);
        using var report = JsonDocument.Parse(plain.Stdout);
        Assert.False(report.RootElement.TryGetProperty("gate", out _));
    }

    [Fact]
    public async Task Require_verified_fails_encrypted_targets_with_exit_4_and_says_why()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var inventory = WriteInventory([("good-1", "good"), ("require-1", "require")]);

        var plain = await CliRun.RunAsync(["check", "--targets", inventory], Environment);
        Assert.True(plain.ExitCode == 0, plain.All);

        var gated = await CliRun.RunAsync(["check", "--targets", inventory, "--require", "verified"], Environment);
        Assert.True(gated.ExitCode == 4, gated.All);
        Assert.Contains("require-1: requirement verified not met: protection is encrypted, verified is required", gated.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("good-1: requirement", gated.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 targets: 1 passed, 1 failed", gated.Stdout, StringComparison.Ordinal);
        output.WriteLine(gated.Stdout);
    }

    [Fact]
    public async Task Each_target_takes_its_password_from_the_variable_it_names_else_DBTLS_PASSWORD()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var good = Kinds()["good"].ConnectionString;
        var entries = new List<Dictionary<string, string>>
        {
            new() { ["name"] = "own-variable", ["connectionString"] = good, ["passwordVariable"] = "FLEET_ORDERS_PW" },
            new() { ["name"] = "default-variable", ["connectionString"] = good + " application_name=second" },
        };
        var inventory = Path.Combine(_directory, "passwords.json");
        File.WriteAllText(inventory, JsonSerializer.Serialize(new Dictionary<string, object> { ["targets"] = entries }));
        var environment = new Dictionary<string, string> { ["FLEET_ORDERS_PW"] = PostgresUsers.ScramPassword, ["DBTLS_PASSWORD"] = "Wrong-Pw-0000" };

        var run = await CliRun.RunAsync(["check", "--targets", inventory, "--format", "ndjson"], environment);
        var lines = Lines(run.Stdout).ToDictionary(l => l.GetProperty("name").GetString()!);
        Assert.True(lines["own-variable"].GetProperty("login").GetProperty("succeeded").GetBoolean(), run.All);
        Assert.False(lines["default-variable"].GetProperty("login").GetProperty("succeeded").GetBoolean(), run.All);
        Assert.DoesNotContain(PostgresUsers.ScramPassword, run.All, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-Pw-0000", run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Single_check_gates_set_exit_4_and_keep_stdout_json()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var require = Kinds()["require"].ConnectionString;
        var run = await CliRun.RunAsync(["check", require, "--format", "json", "--require", "verified", "--require", "min-tls:1.2"], Environment);
        Assert.True(run.ExitCode == 4, run.All);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(0, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Contains("requirement verified not met", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("min-tls", run.Stderr, StringComparison.Ordinal);

        var good = await CliRun.RunAsync(["check", Kinds()["good"].ConnectionString, "--require", "verify-full-everywhere", "--require", "no-expiry-within:30d", "--fail-on", "warning"], Environment);
        Assert.True(good.ExitCode == 0, good.All);
    }

    [Fact]
    public async Task Resume_skips_the_targets_already_in_the_results_file()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var fleet = Fleet().Where(t => t.Kind is "good" or "require" or "refused").ToList();
        var inventory = WriteInventory(fleet);
        var first = await CliRun.RunAsync(["check", "--targets", inventory, "--format", "ndjson"], Environment);
        var firstLines = first.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(fleet.Count, firstLines.Length);

        // An interrupted run: five whole lines and half of the sixth.
        var results = Path.Combine(_directory, "partial.ndjson");
        File.WriteAllText(results, string.Join('\n', firstLines.Take(5)) + "\n" + firstLines[5][..20]);
        var done = firstLines.Take(5).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("name").GetString()).ToHashSet();

        var resumed = await CliRun.RunAsync(["check", "--targets", inventory, "--format", "ndjson", "--resume", results], Environment);
        var names = Lines(resumed.Stdout).Select(l => l.GetProperty("name").GetString()).ToList();
        Assert.Equal(fleet.Count - 5, names.Count);
        Assert.Empty(names.Intersect(done));
    }

    [Fact]
    public async Task Sarif_has_the_required_shape_and_junit_parses_with_one_case_per_target()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var fleet = Fleet();
        var inventory = WriteInventory(fleet);
        var sarif = await CliRun.RunAsync(["check", "--targets", inventory, "--format", "sarif", "--require", "verified"], Environment);
        using (var json = JsonDocument.Parse(sarif.Stdout))
        {
            SarifShape.AssertValid(json.RootElement);
            var results = json.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
            var targetsWithResults = results.Select(r => r.GetProperty("properties").GetProperty("target").GetString()!).ToHashSet();
            Assert.Equal(fleet.Where(t => t.Kind != "good").Select(t => t.Name).ToHashSet(), targetsWithResults);
            Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "dbtls.gate");
            Assert.All(results, r => Assert.Equal(inventory, r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()));
        }

        var junit = await CliRun.RunAsync(["check", "--targets", inventory, "--format", "junit"], Environment);
        var xml = new XmlDocument();
        xml.LoadXml(junit.Stdout);
        Assert.Equal(fleet.Count, xml.SelectNodes("//testcase")!.Count);
        var failed = xml.SelectNodes("//testcase[failure]")!.Cast<XmlElement>().Select(e => e.GetAttribute("name")).ToHashSet();
        Assert.Equal(fleet.Where(t => Kinds()[t.Kind].Exit != 0).Select(t => t.Name).ToHashSet(), failed);
        Assert.Equal(fleet.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), xml.DocumentElement!.GetAttribute("tests"));
    }

    [Fact]
    public async Task Silent_targets_cost_their_own_timeout_not_the_whole_fleets()
    {
        // Four servers that accept and never answer, each with a 1 s limit: one at a time they add 4 s; eight at a time
        // they overlap with each other and with the 20 real checks.
        await fixture.Server.RestoreDefaultsAsync();
        await using var silent = new LoopbackListener((client, stopping) => HoldAsync(client, stopping));
        var kinds = Kinds();
        var entries = Fleet().Select(t => (t.Name, t.Kind, kinds[t.Kind].ConnectionString))
            .Concat(Enumerable.Range(1, 4).Select(i => ($"silent-{i}", "silent", $"host=localhost port={silent.Port} user={PostgresUsers.Scram} sslmode=require connect_timeout=1")))
            .Select(e => new Dictionary<string, string> { ["name"] = e.Item1, ["group"] = e.Item2, ["connectionString"] = e.Item3 })
            .ToList();
        var inventory = Path.Combine(_directory, "with-silent.json");
        File.WriteAllText(inventory, JsonSerializer.Serialize(new Dictionary<string, object> { ["targets"] = entries }));

        var times = new Dictionary<int, TimeSpan>();
        foreach (var concurrency in new[] { 1, 8 })
        {
            var stopwatch = Stopwatch.StartNew();
            var run = await CliRun.RunAsync(["check", "--targets", inventory, "--format", "ndjson", "--concurrency", concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture)], Environment);
            times[concurrency] = stopwatch.Elapsed;
            var lines = Lines(run.Stdout);
            Assert.Equal(24, lines.Count);
            Assert.All(lines.Where(l => l.GetProperty("group").GetString() == "silent"), l => Assert.Equal(3, l.GetProperty("exitCode").GetInt32()));
        }

        output.WriteLine($"24 targets (4 silent, 1 s limit): concurrency 1 {times[1].TotalMilliseconds:0} ms, concurrency 8 {times[8].TotalMilliseconds:0} ms");
        Assert.True(times[1] - times[8] > TimeSpan.FromSeconds(2), $"concurrency 1 {times[1]}, 8 {times[8]}");
    }

    private static async Task HoldAsync(TcpClient client, CancellationToken stopping)
    {
        using (client)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, stopping);
            }
            catch (OperationCanceledException)
            {
                // The listener stopped.
            }
        }
    }
}

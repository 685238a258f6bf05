using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Cli;
using DbTls.Tests.Export;
using DbTls.Tests.Html;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.EndToEnd.Native;

/// <summary>
/// The fleet commands through the published binary: <c>check --targets</c> and <c>report --html</c> give what the
/// in-process run gives over the same PostgreSQL 18 fleet, and <c>exporter</c> serves probes a strict text-format parser
/// and promtool accept, then stops cleanly on SIGINT. These paths format numbers, sort names and serve HTTP, which is
/// where invariant globalization and trimming could differ from the test host.
/// </summary>
[Trait("Category", "Native")]
[Trait("Category", "Integration")]
[Collection(Postgres18Collection.Name)]
public sealed partial class NativeFleetTests(Postgres18Fixture fixture) : IDisposable
{
    private readonly string _directory = OwnedTempDirectory.Create("dbtls-native-fleet-");

    public void Dispose() => OwnedTempDirectory.TryDelete(_directory);

    private Dictionary<string, string> Environment => new(StringComparer.Ordinal)
    {
        ["DBTLS_PASSWORD"] = PostgresUsers.ScramPassword,
        ["HOME"] = _directory,
        ["LC_ALL"] = "C",
    };

    /// <summary>Three targets whose outcomes differ: verified, encrypted only, unreachable.</summary>
    private string WriteInventory()
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var user = $"user={PostgresUsers.Scram} dbname=postgres";
        var port = fixture.Server.Port;
        var targets = new[]
        {
            new { name = "good", group = "a", connectionString = $"host=localhost port={port} {user} sslmode=verify-full sslrootcert={fixture.Certificates.RootPath}" },
            new { name = "require", group = "a", connectionString = $"host=localhost port={port} {user} sslmode=require" },
            new { name = "closed", group = "b", connectionString = $"host=localhost port={closedPort} {user} sslmode=require connect_timeout=5" },
        };
        var path = Path.Combine(_directory, "inventory.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { targets }));
        return path;
    }

    private static Dictionary<string, (string Verdict, string Protection)> Outcomes(string ndjson) =>
        ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(r => r.GetProperty("name").GetString()!, r => (r.GetProperty("verdict").GetString()!, r.GetProperty("protection").GetString()!), StringComparer.Ordinal);

    [Fact]
    public async Task Check_targets_and_report_html_give_what_the_library_gives()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var inventory = WriteInventory();
        var binary = await NativeBinary.PathAsync();
        string[] args = ["check", "--targets", inventory, "--format", "ndjson", "--concurrency", "3"];
        var native = await ProcessRunner.RunAsync(new ProcessSpec(binary, args) { Environment = Environment, Timeout = TimeSpan.FromSeconds(60) });
        var inProcess = await CliRun.RunAsync(args, Environment);

        Assert.False(native.TimedOut, native.ToString());
        Assert.Equal(inProcess.ExitCode, native.ExitCode);
        var outcomes = Outcomes(native.Stdout);
        Assert.Equal(Outcomes(inProcess.Stdout), outcomes);

        // What each target must come to, from the fixture: the CA verifies, require does not, the closed port fails.
        Assert.Equal("verified", outcomes["good"].Protection);
        Assert.Equal("encrypted", outcomes["require"].Protection);
        Assert.Equal(Verdicts.Failed, outcomes["closed"].Verdict);
        Assert.DoesNotContain(PostgresUsers.ScramPassword, native.Stdout + native.Stderr, StringComparison.Ordinal);

        var results = Path.Combine(_directory, "results.ndjson");
        File.WriteAllText(results, native.Stdout);
        var nativeHtml = Path.Combine(_directory, "native.html");
        var libraryHtml = Path.Combine(_directory, "library.html");
        var nativeReport = await ProcessRunner.RunAsync(new ProcessSpec(binary, ["report", results, "--html", nativeHtml]) { Environment = Environment, Timeout = TimeSpan.FromSeconds(60) });
        var libraryReport = await CliRun.RunAsync(["report", results, "--html", libraryHtml], Environment);
        Assert.True(nativeReport.ExitCode == 0 && libraryReport.ExitCode == 0, $"{nativeReport}\n{libraryReport.All}");

        // The page says "generated <time>" and draws today's line, so compare what it counts and lists, not its bytes.
        var page = File.ReadAllText(nativeHtml);
        Assert.Equal(Summary(File.ReadAllText(libraryHtml)), Summary(page));
        Assert.Equal(3, TargetRow().Matches(page).Count);
        Assert.Equal(1, FleetHtmlReportTests.Count(page, "verdict:" + Verdicts.Failed));
        Assert.Equal(1, FleetHtmlReportTests.Count(page, "protection:verified"));
    }

    private static List<string> Summary(string html) =>
        [.. CountCell().Matches(html).Select(m => m.Value), .. TargetRow().Matches(html).Select(m => m.Value)];

    [GeneratedRegex("data-count=\"[^\"]*\">\\d+<")]
    private static partial Regex CountCell();

    [GeneratedRegex("<tr data-target=\"[^\"]*\"")]
    private static partial Regex TargetRow();

    [Fact]
    public async Task The_exporter_serves_probes_and_stops_on_sigint()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var inventory = WriteInventory();
        var binary = await NativeBinary.PathAsync();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "exporter", "--targets", inventory, "--listen", "127.0.0.1:0", "--timeout", "10" })
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        try
        {
            // The exporter names its address on stderr once it listens; port 0 lets the kernel choose a free one.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var banner = await process.StandardError.ReadLineAsync(wait.Token) ?? "";
            var address = Regex.Match(banner, "http://(127\\.0\\.0\\.1:\\d+)/", RegexOptions.CultureInvariant);
            Assert.True(address.Success, $"no address in: {banner}");

            using var http = new HttpClient { BaseAddress = new Uri($"http://{address.Groups[1].Value}/"), Timeout = TimeSpan.FromSeconds(30) };
            var good = await http.GetStringAsync("probe?target=good");
            var samples = Exposition.Parse(good);
            Assert.Equal(1, Assert.Single(samples, s => s.Name == "dbtls_up").Value);
            Assert.Equal(1, Assert.Single(samples, s => s.Name == "dbtls_protection" && s.Labels["level"] == "verified").Value);
            Assert.Equal(1.3, Assert.Single(samples, s => s.Name == "dbtls_tls_version").Value);
            var leaf = fixture.Certificates.Good.Leaf.Certificate;
            Assert.Equal(
                new DateTimeOffset(leaf.NotAfter.ToUniversalTime()).ToUnixTimeSeconds(),
                Assert.Single(samples, s => s.Name == "dbtls_cert_not_after_seconds" && s.Labels["position"] == "leaf").Value);

            var closed = Exposition.Parse(await http.GetStringAsync("probe?target=closed"));
            Assert.Equal(0, Assert.Single(closed, s => s.Name == "dbtls_up").Value);

            var metrics = await http.GetStringAsync("metrics");
            foreach (var page in new[] { good, metrics })
            {
                var lint = await ProcessRunner.RunAsync(new ProcessSpec("promtool", ["check", "metrics"]) { StandardInput = page, Timeout = TimeSpan.FromSeconds(30) });
                Assert.True(lint.ExitCode == 0 && lint.Stdout.Trim().Length == 0 && lint.Stderr.Trim().Length == 0, $"{lint}\n{page}");
            }

            Assert.DoesNotContain(PostgresUsers.ScramPassword, metrics + good, StringComparison.Ordinal);

            // Ctrl+C: the exporter stops serving and exits 0.
            Assert.Equal(0, Kill(process.Id, "INT"));
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(exit.Token);
            Assert.Equal(ExitCodes.Ok, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static int Kill(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        return kill.ExitCode;
    }
}

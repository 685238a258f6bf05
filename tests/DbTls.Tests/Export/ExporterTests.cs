using System.Net;
using System.Net.Sockets;
using DbTls.Dialects;
using DbTls.Export;
using DbTls.Fleet;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.Export;

/// <summary>
/// The exporter over real PostgreSQL 18, scraped with a real HTTP client and read with a strict parser of the text
/// format. Expected values come from the fixture (the certificate's own expiry), not from the output.
/// </summary>
[Trait("Category", "Integration")]
[Collection(Postgres18Collection.Name)]
public sealed class ExporterTests(Postgres18Fixture fixture)
{
    private async Task<(ExporterServer Server, HttpClient Http)> StartAsync()
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var user = $"user={PostgresUsers.Scram} dbname=postgres";
        var port = fixture.Server.Port;
        List<FleetTarget> targets =
        [
            new("good", $"host=localhost port={port} {user} sslmode=verify-full sslrootcert={fixture.Certificates.RootPath}"),
            new("require", $"host=localhost port={port} {user} sslmode=require"),
            new("closed \"port\"", $"host=localhost port={closedPort} {user} sslmode=require"),
        ];
        var environment = new CheckEnvironment(new Dictionary<string, string> { ["DBTLS_PASSWORD"] = PostgresUsers.ScramPassword, ["HOME"] = Path.GetTempPath() }) { OsUserName = "tester" };
        var server = new ExporterServer(targets, FleetCheck.Create(DialectRegistry.Default, environment), TimeSpan.FromSeconds(10));
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await fixture.Server.RestoreDefaultsAsync();
        return (server, new HttpClient { BaseAddress = new Uri($"http://{server.EndPoint}/") });
    }

    private static async Task<List<Sample>> ScrapeAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        return Exposition.Parse(await response.Content.ReadAsStringAsync());
    }

    private static double Value(List<Sample> samples, string name, params (string Label, string Value)[] labels) =>
        Assert.Single(samples, s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).Value;

    [Fact]
    public async Task Probe_answers_the_targets_metrics_and_metrics_keeps_the_last_probe_of_each()
    {
        var (server, http) = await StartAsync();
        await using (server)
        using (http)
        {
            var good = await ScrapeAsync(http, "probe?target=good");
            Assert.Equal(1, Value(good, "dbtls_up", ("target", "good")));
            Assert.Equal(1, Value(good, "dbtls_protection", ("target", "good"), ("level", "verified")));
            Assert.Equal(0, Value(good, "dbtls_protection", ("target", "good"), ("level", "encrypted")));
            Assert.Equal(1.3, Value(good, "dbtls_tls_version", ("target", "good")));
            var leaf = fixture.Certificates.Good.Leaf.Certificate;
            Assert.Equal(new DateTimeOffset(leaf.NotAfter.ToUniversalTime()).ToUnixTimeSeconds(), Value(good, "dbtls_cert_not_after_seconds", ("target", "good"), ("position", "leaf")));
            Assert.Equal(leaf.SerialNumber, Assert.Single(good, s => s.Name == "dbtls_cert_not_after_seconds" && s.Labels["position"] == "leaf").Labels["serial"]);
            Assert.Contains(good, s => s.Name == "dbtls_cert_not_after_seconds" && s.Labels["position"] == "intermediate");
            Assert.InRange(Value(good, "dbtls_check_duration_seconds", ("target", "good")), 0.0001, 10);

            var require = await ScrapeAsync(http, "probe?target=require");
            Assert.Equal(1, Value(require, "dbtls_protection", ("target", "require"), ("level", "encrypted")));
            Assert.Equal(1, Value(require, "dbtls_finding", ("target", "require"), ("code", "cert.not-verified"), ("severity", "warning")));

            var closed = await ScrapeAsync(http, "probe?target=" + Uri.EscapeDataString("closed \"port\""));
            Assert.Equal(0, Value(closed, "dbtls_up", ("target", "closed \"port\"")));
            Assert.Equal(0, Value(closed, "dbtls_tls_version", ("target", "closed \"port\"")));
            Assert.Equal(1, Value(closed, "dbtls_finding", ("code", "net.unreachable"), ("severity", "error")));

            var metrics = await ScrapeAsync(http, "metrics");
            Assert.Equal(2, Value(metrics, "dbtls_exporter_probes_total", ("result", "success")));
            Assert.Equal(1, Value(metrics, "dbtls_exporter_probes_total", ("result", "failure")));
            Assert.Equal(3, Value(metrics, "dbtls_exporter_targets"));
            Assert.Equal(["closed \"port\"", "good", "require"], metrics.Where(s => s.Name == "dbtls_up").Select(s => s.Labels["target"]));

            using var unknown = await http.GetAsync("probe?target=nope");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.DoesNotContain(PostgresUsers.ScramPassword, string.Join("\n", metrics.SelectMany(s => s.Labels.Values)), StringComparison.Ordinal);
        }
    }

    /// <summary>Prometheus' own linter (Debian's prometheus package) reads a page: exit 0 and nothing to say.</summary>
    private static async Task<ProcessResult> PromtoolAsync(string page) =>
        await ProcessRunner.RunAsync(new ProcessSpec("promtool", ["check", "metrics"]) { StandardInput = page, Timeout = TimeSpan.FromSeconds(30) });

    [Fact]
    public async Task Promtool_finds_nothing_wrong_with_probe_and_metrics_pages()
    {
        // The linter must be able to fail: a counter without _total and a repeated TYPE line are both reported.
        Assert.NotEqual(0, (await PromtoolAsync("# HELP b x\n# TYPE b counter\nb 1\n")).ExitCode);
        Assert.NotEqual(0, (await PromtoolAsync("# TYPE a gauge\n# TYPE a gauge\na 1\n")).ExitCode);

        var (server, http) = await StartAsync();
        await using (server)
        using (http)
        {
            foreach (var path in new[] { "probe?target=good", "probe?target=require", "probe?target=" + Uri.EscapeDataString("closed \"port\""), "metrics" })
            {
                var page = await http.GetStringAsync(path);
                var lint = await PromtoolAsync(page);
                Assert.True(lint.ExitCode == 0 && lint.Stdout.Trim().Length == 0 && lint.Stderr.Trim().Length == 0, $"{path}: {lint}\n{page}");
            }
        }
    }

    [Fact]
    public async Task A_client_that_sends_garbage_or_nothing_gets_an_answer_or_is_dropped_and_the_server_keeps_serving()
    {
        var (server, http) = await StartAsync();
        await using (server)
        using (http)
        {
            using (var garbage = new TcpClient())
            {
                await garbage.ConnectAsync(server.EndPoint);
                var stream = garbage.GetStream();
                await stream.WriteAsync("\u0016\u0003\u0001 not http\r\n\r\n"u8.ToArray());
                var answer = await new StreamReader(stream).ReadToEndAsync();
                Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
            }

            // A client that connects and says nothing does not block the next one.
            using var silent = new TcpClient();
            await silent.ConnectAsync(server.EndPoint);
            using var response = await http.GetAsync("metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}

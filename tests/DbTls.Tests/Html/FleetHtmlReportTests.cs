using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using DbTls.Tests.Cli;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Postgres;
using Xunit.Abstractions;

namespace DbTls.Tests.Html;

/// <summary>
/// <c>dbtls report RESULTS.ndjson --html</c> over a real fleet, opened in real headless Chromium: the counts in the DOM
/// are the NDJSON's, a server whose certificate subject is markup shows it as text, and a screenshot is taken.
/// </summary>
[Trait("Category", "Integration")]
[Collection(Postgres18Collection.Name)]
public sealed partial class FleetHtmlReportTests(Postgres18Fixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Hostile = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>&amp;";

    private readonly string _directory = OwnedTempDirectory.Create("dbtls-html-");
    private PostgresServer? _hostile;
    private IssuedCert? _hostileLeaf;

    public async Task InitializeAsync()
    {
        var certs = fixture.Certificates;
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(Hostile);
        _hostileLeaf = CertFactory.CreateLeaf(certs.IntermediateCa, new CertSpec
        {
            SubjectName = subject.Build().Name,
            DnsNames = ["localhost"],
            IpAddresses = [IPAddress.Loopback, IPAddress.IPv6Loopback],
        });
        var material = new ServerTlsMaterial(_hostileLeaf.CertificatePem + certs.IntermediateCa.CertificatePem, _hostileLeaf.PrivateKeyPem);
        _hostile = await PostgresServer.StartAsync(PostgresVersion.V15, material);
    }

    public async Task DisposeAsync()
    {
        if (_hostile is not null)
        {
            await _hostile.DisposeAsync();
        }

        _hostileLeaf?.Dispose();
        OwnedTempDirectory.TryDelete(_directory);
    }

    [Fact]
    public async Task The_page_renders_in_chromium_with_the_ndjson_numbers_and_no_injected_markup()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var certs = fixture.Certificates;
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var user = $"user={PostgresUsers.Scram} dbname=postgres";
        var pg18 = fixture.Server.Port;
        var lines = new List<string> { "# a small fleet" };
        lines.AddRange(Enumerable.Range(0, 4).Select(i => $"host=localhost port={pg18} {user} sslmode=verify-full sslrootcert={certs.RootPath} application_name=good{i}"));
        lines.AddRange(Enumerable.Range(0, 2).Select(i => $"host=localhost port={pg18} {user} sslmode=require application_name=require{i}"));
        lines.Add($"host=db.dbtls.test hostaddr=127.0.0.1 port={pg18} {user} sslmode=verify-full sslrootcert={certs.RootPath}");
        lines.Add($"host=localhost port={_hostile!.Port} {user} sslmode=verify-full sslrootcert={certs.RootPath}");
        lines.Add($"host=localhost port={closedPort} {user} sslmode=require");
        var inventory = Path.Combine(_directory, "inventory.txt");
        File.WriteAllLines(inventory, lines);
        var environment = new Dictionary<string, string> { ["DBTLS_PASSWORD"] = PostgresUsers.ScramPassword };

        var fleet = await CliRun.RunAsync(["check", "--targets", inventory, "--format", "ndjson", "--require", "verified"], environment);
        var results = Path.Combine(_directory, "results.ndjson");
        File.WriteAllText(results, fleet.Stdout);
        var html = Path.Combine(_directory, "report.html");
        var report = await CliRun.RunAsync(["report", results, "--html", html]);
        Assert.True(report.ExitCode == 0, report.All);

        var records = fleet.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(lines.Count - 1, records.Count);
        var dom = await Chromium.DumpDomAsync(html);

        // The page's own script ran (the title is ours) and the subject is text, not an element.
        Assert.Contains("<title>dbtls fleet report</title>", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("pwned</title>", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>document.title", dom, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=", dom, StringComparison.Ordinal);

        foreach (var (key, property) in new[] { ("verdict", "verdict"), ("protection", "protection") })
        {
            foreach (var group in records.GroupBy(r => r.GetProperty(property).GetString()!))
            {
                Assert.Equal(group.Count(), Count(dom, $"{key}:{group.Key}"));
            }
        }

        foreach (var code in records.SelectMany(r => r.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()!).Distinct()).GroupBy(c => c))
        {
            Assert.Equal(code.Count(), Count(dom, $"finding:{code.Key}"));
        }

        Assert.Equal(records.Count, TargetRows().Matches(dom).Count);

        // Compliance with --require verified: the lines' gate, and independently, the targets whose protection is verified.
        var passedGate = records.Count(r => r.GetProperty("gate").GetProperty("passed").GetBoolean());
        Assert.Equal(records.Count(r => r.GetProperty("protection").GetString() == "verified"), passedGate);
        Assert.Equal(passedGate, Count(dom, "gate:(none)"));
        var reasons = records.Sum(r => r.GetProperty("gate").GetProperty("failures").EnumerateArray().Sum(f => f.GetProperty("reasons").GetArrayLength()));
        Assert.True(reasons >= records.Count - passedGate);
        Assert.Equal(reasons, GateFailures().Matches(dom).Count);
        var expiryMarks = records.Count(r => r.TryGetProperty("tls", out var tls) && tls.GetProperty("certificates").GetArrayLength() > 0);
        Assert.Equal(expiryMarks, ExpiryMarks().Matches(dom).Count);

        var png = Path.Combine(_directory, "report.png");
        await Chromium.ScreenshotAsync(html, png);
        Assert.True(new FileInfo(png).Length > 20_000, "the screenshot is nearly empty");
        var kept = Path.Combine(Path.GetTempPath(), "dbtls-fleet-report.png");
        File.Copy(png, kept, overwrite: true);
        output.WriteLine($"screenshot: {kept}");
    }

    internal static int Count(string dom, string key)
    {
        var match = Regex.Match(dom, $"data-count=\"{Regex.Escape(key)}\">(\\d+)<", RegexOptions.CultureInvariant);
        Assert.True(match.Success, $"no count for {key}");
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("<tr data-target=")]
    private static partial Regex TargetRows();

    [GeneratedRegex("<li class=\"gate\">")]
    private static partial Regex GateFailures();

    [GeneratedRegex("<g class=\"expiry\"")]
    private static partial Regex ExpiryMarks();
}

using DbTls.Conversion;
using DbTls.Dialects;
using DbTls.Reports;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Explain;

/// <summary>
/// <c>convert</c> among the SQL Server dialects checked live: against the same TDS test server (encryption not forced,
/// forced, or no certificate at all), <c>dbtls check</c> on a SqlClient, JDBC or FreeTDS string and on each conversion
/// that claims no loss gives the same verdict, protection level and rejection codes.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ConvertLiveTdsTests : IClassFixture<TdsTestCertificates>, IDisposable
{
    private static readonly string[] Dialects = ["sqlclient", "jdbc", "freetds", "odbc"];

    private readonly TdsTestCertificates _certs;
    private readonly string _directory = Directory.CreateTempSubdirectory("dbtls-convert-tds-").FullName;

    public ConvertLiveTdsTests(TdsTestCertificates certs)
    {
        _certs = certs;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string FreeTdsConf => Path.Combine(_directory, "freetds.conf");

    private Dictionary<string, string> Variables(TdsTestServer server) => new(StringComparer.Ordinal)
    {
        ["HOME"] = _directory,
        ["FREETDSCONF"] = FreeTdsConf,
        ["DBTLS_PASSWORD"] = server.Options.Password,
    };

    /// <summary>Strings without a password or user: both come from --user and DBTLS_PASSWORD, as for every dialect's check.</summary>
    private static IEnumerable<(string Dialect, string Text)> Sources(int port) =>
    [
        ("sqlclient", $"Data Source=tcp:127.0.0.1,{port};Encrypt=Optional;TrustServerCertificate=True"),
        ("sqlclient", $"Data Source=tcp:127.0.0.1,{port};Encrypt=Mandatory;TrustServerCertificate=True"),
        ("sqlclient", $"Data Source=tcp:127.0.0.1,{port};Encrypt=Mandatory"),
        ("jdbc", $"jdbc:sqlserver://127.0.0.1:{port};encrypt=false;trustServerCertificate=true"),
        ("jdbc", $"jdbc:sqlserver://127.0.0.1:{port};encrypt=true;trustServerCertificate=true"),
        ("odbc", $"Driver={{ODBC Driver 18 for SQL Server}};Server=tcp:127.0.0.1,{port};TrustServerCertificate=yes"),
        ("freetds", $"[tds]\n\thost = 127.0.0.1\n\tport = {port}\n\ttds version = 7.4\n\tencryption = require\n"),
    ];

    private async Task<CheckReport> CheckAsync(TdsTestServer server, string connectionString, string dialect)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        await DbTls.Cli.Cli.RunAsync(
            ["check", connectionString, "--dialect", dialect, "--user", server.Options.User, "--format", "json", "--timeout", "15"], stdout, stderr, Variables(server));
        return ReportJson.Deserialize(stdout.ToString()) ?? throw new InvalidOperationException($"no report for {connectionString}: {stderr}");
    }

    /// <summary>The string a check takes: a FreeTDS section is written to the test's freetds.conf and named by its target.</summary>
    private string Usable(string dialect, string text, string? target)
    {
        if (dialect != "freetds")
        {
            return text;
        }

        File.WriteAllText(FreeTdsConf, text);
        return target ?? "freetds:tds";
    }

    private static string Outcome(CheckReport report) =>
        $"{report.Verdict}/{report.Protection}" + (report.Verdict == Verdicts.Ok ? "" : "/" + string.Join(",", report.Findings.Where(f => f.Severity == "error").Select(f => f.Code).Order(StringComparer.Ordinal)));

    /// <param name="forced">Whether the server forces encryption (answers ENCRYPT_ON whatever the client sent).</param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_conversion_gets_the_originals_verdict_from_the_same_server(bool forced)
    {
        var encryption = forced ? PreLoginEncryption.On : PreLoginEncryption.Off;
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new TdsTestServerOptions { Encryption = encryption }));
        var mismatches = new List<string>();
        var compared = 0;
        foreach (var (from, text) in Sources(server.Port))
        {
            var source = Usable(from, text, null);
            var expected = Outcome(await CheckAsync(server, source, from));
            foreach (var to in Dialects.Where(d => d != from))
            {
                // A FreeTDS target rewrote freetds.conf; a FreeTDS source needs its own section back.
                Usable(from, text, null);
                var converted = ConnectionConverter.Convert(
                    DialectRegistry.Default.Find(from)!, source, DialectRegistry.Default.Find(to)!, new CheckEnvironment(Variables(server)) { OsUserName = "tester" });
                if (converted.IsWeaker)
                {
                    continue;
                }

                compared++;
                var actual = Outcome(await CheckAsync(server, Usable(to, converted.Rendered!.Text, converted.Rendered.Target), to));
                if (actual != expected)
                {
                    mismatches.Add($"{from} {text} → {to} {converted.Rendered.Text}: {expected} became {actual}");
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.True(compared >= 10, $"only {compared} conversions claimed no loss");
    }
}

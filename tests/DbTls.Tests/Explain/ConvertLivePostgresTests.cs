using DbTls.Conversion;
using DbTls.Dialects;
using DbTls.Reports;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.Explain;

/// <summary>
/// What makes <c>convert</c> trustworthy: against the same PostgreSQL 15 server and the same certificate, <c>dbtls check</c>
/// on a libpq string and on its Npgsql and pgjdbc conversions gives the same verdict and protection level, and the same
/// rejection codes when the original is rejected.
/// </summary>
[Trait("Category", "Integration")]
[Collection(Postgres15Collection.Name)]
public sealed class ConvertLivePostgresTests(Postgres15Fixture fixture) : IDisposable
{
    private static readonly string[] Sources =
    [
        "sslmode=verify-full sslrootcert={root}",
        "sslmode=verify-ca sslrootcert={root}",
        "sslmode=require sslrootcert={root}",
        "sslmode=require",
        "sslmode=prefer",
    ];

    private readonly string _home = Directory.CreateTempSubdirectory("dbtls-convert-live-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private Dictionary<string, string> Variables => new(StringComparer.Ordinal)
    {
        ["HOME"] = _home,
        ["PATH"] = "/usr/bin:/bin",
        ["DBTLS_PASSWORD"] = PostgresUsers.ScramPassword,
    };

    private async Task<CheckReport> CheckAsync(string connectionString, string dialect)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        await DbTls.Cli.Cli.RunAsync(["check", connectionString, "--dialect", dialect, "--format", "json", "--timeout", "15"], stdout, stderr, Variables);
        return ReportJson.Deserialize(stdout.ToString()) ?? throw new InvalidOperationException($"no report for {connectionString}: {stderr}");
    }

    private static string Outcome(CheckReport report) =>
        $"{report.Verdict}/{report.Protection}" + (report.Verdict == Verdicts.Ok ? "" : "/" + string.Join(",", report.Findings.Where(f => f.Severity == "error").Select(f => f.Code).Order(StringComparer.Ordinal)));

    [Theory]
    [InlineData("good")]
    [InlineData("wrong-root")]
    [InlineData("cn-differs-from-san")]
    [InlineData("expired")]
    public async Task Every_conversion_gets_the_originals_verdict_from_the_same_server(string certificate)
    {
        await fixture.Server.ReloadWithCertificatesAsync(fixture.Certificates[certificate].Material);
        try
        {
            var mismatches = new List<string>();
            foreach (var settings in Sources)
            {
                var source = $"host=localhost port={fixture.Server.Port} user={PostgresUsers.Scram} dbname=postgres "
                    + settings.Replace("{root}", fixture.Certificates.RootPath, StringComparison.Ordinal);
                var expected = Outcome(await CheckAsync(source, "libpq"));
                foreach (var target in new[] { "npgsql", "pgjdbc" })
                {
                    var converted = ConnectionConverter.Convert(
                        DialectRegistry.Default.Find("libpq")!, source, DialectRegistry.Default.Find(target)!, new CheckEnvironment(Variables) { OsUserName = "tester" });
                    // None of these sources needs a setting Npgsql or pgjdbc lacks, so every conversion claims no loss and is run.
                    Assert.False(converted.IsWeaker, $"{source} → {target} is weaker");
                    var actual = Outcome(await CheckAsync(converted.Rendered!.Text, target));
                    if (actual != expected)
                    {
                        mismatches.Add($"{source} → {target} {converted.Rendered.Text}: {expected} became {actual}");
                    }
                }
            }

            Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        }
        finally
        {
            await fixture.Server.RestoreDefaultsAsync();
        }
    }

    [Fact]
    public async Task The_sources_reach_both_outcomes_so_the_comparison_is_not_vacuous()
    {
        await fixture.Server.ReloadWithCertificatesAsync(fixture.Certificates["cn-differs-from-san"].Material);
        try
        {
            var root = fixture.Certificates.RootPath;
            var prefix = $"host=localhost port={fixture.Server.Port} user={PostgresUsers.Scram} dbname=postgres ";
            Assert.Equal(Verdicts.Ok, (await CheckAsync(prefix + $"sslmode=verify-ca sslrootcert={root}", "libpq")).Verdict);
            Assert.NotEqual(Verdicts.Ok, (await CheckAsync(prefix + $"sslmode=verify-full sslrootcert={root}", "libpq")).Verdict);
        }
        finally
        {
            await fixture.Server.RestoreDefaultsAsync();
        }
    }
}

using DbTls.Checks;
using DbTls.Dialects;
using DbTls.Reports;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Oracles.Pgjdbc;
using DbTls.Tests.Servers.Postgres;
using Xunit.Abstractions;

namespace DbTls.Tests.EndToEnd.Pgjdbc;

/// <summary>
/// The same jdbc:postgresql: URLs given to the real pgjdbc 42.5.5 (Java 17, Probe.java) and to dbtls' pgjdbc dialect,
/// against real PostgreSQL 15 serving each certificate fixture: pgjdbc's verdict (connected or not, and whether the
/// session is encrypted) must equal dbtls'. Both get the same empty home directory (user.home for Java, HOME for dbtls)
/// and the role dbtls_scram, which pg_hba allows over TLS only.
/// </summary>
[Trait("Category", "Integration")]
[Collection(Postgres15Collection.Name)]
public sealed class PgjdbcParityTests(Postgres15Fixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly string _home = OwnedTempDirectory.Create("dbtls-pgjdbc-home-");

    public void Dispose() => OwnedTempDirectory.TryDelete(_home);

    /// <summary>The settings columns of the matrix; ROOT is the fixtures' root CA file, HOST the URL's host.</summary>
    private static readonly string[] Settings =
    [
        "ssl=true&sslrootcert=ROOT",
        "sslmode=verify-full&sslrootcert=ROOT",
        "sslmode=verify-ca&sslrootcert=ROOT",
        "sslmode=require",
        "sslmode=prefer&sslrootcert=ROOT",
        "",
        "sslmode=verify-full&sslrootcert=WRONGROOT",
        // A raw '+' in a value is a space to pgjdbc's URLDecoder (the file is then not found); %2B is a '+'.
        "sslmode=verify-ca&sslrootcert=ROOT+INTERMEDIATE",
        "sslmode=verify-ca&sslrootcert=ROOT%2BINTERMEDIATE",
        "ssl=true",
        "ssl=false",
        "sslMode=verify-full&sslrootcert=ROOT",
        "sslmode=verify-full&sslfactory=org.postgresql.ssl.NonValidatingFactory",
    ];

    public static TheoryData<string> Fixtures => [.. PgCertificateFixtures.Names];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Dbtls_verdict_equals_pgjdbcs_for_every_setting(string fixtureName)
    {
        Assert.True(PgjdbcOracle.Available, "pgjdbc oracle missing: run scripts/setup.sh (libpostgresql-jdbc-java, default-jre-headless)");
        var server = fixture.Server;
        var certs = fixture.Certificates;
        var hosts = new List<string> { "localhost", "127.0.0.1" };
        if (server.ListensOnIPv6)
        {
            hosts.Add("[::1]");
        }

        var urls = new List<string>();
        foreach (var host in hosts)
        {
            foreach (var setting in Settings)
            {
                var query = setting.Replace("ROOT+INTERMEDIATE", certs.RootAndIntermediatePath, StringComparison.Ordinal)
                    .Replace("ROOT%2BINTERMEDIATE", certs.RootAndIntermediatePath.Replace("+", "%2B", StringComparison.Ordinal), StringComparison.Ordinal)
                    .Replace("WRONGROOT", certs.WrongRootPath, StringComparison.Ordinal)
                    .Replace("ROOT", certs.RootPath, StringComparison.Ordinal);
                urls.Add($"jdbc:postgresql://{host}:{server.Port}/postgres?user={PostgresUsers.Scram}&password={PostgresUsers.ScramPassword}&connectTimeout=10{(query.Length > 0 ? "&" : "")}{query}");
            }
        }

        try
        {
            await server.ReloadWithCertificatesAsync(certs[fixtureName].Material);
            var pgjdbc = await PgjdbcOracle.RunAsync(urls, _home);
            var mismatches = new List<string>();
            for (var i = 0; i < urls.Count; i++)
            {
                var (connected, encrypted, detail) = await RunDbTlsAsync(urls[i]);
                output.WriteLine($"{Shown(urls[i])}\n  pgjdbc {pgjdbc[i]}\n  dbtls  {(connected ? $"connected (ssl={encrypted})" : $"refused: {detail}")}");
                if (connected != pgjdbc[i].Connected || (connected && encrypted != pgjdbc[i].Encrypted))
                {
                    // The one documented divergence: NonValidatingFactory with verify-full, where pgjdbc checks the name of an unverified certificate.
                    if (!(urls[i].Contains("NonValidatingFactory", StringComparison.Ordinal) && pgjdbc[i].Detail.Contains("could not be verified by hostnameverifier", StringComparison.Ordinal)))
                    {
                        mismatches.Add($"{Shown(urls[i])}: pgjdbc {pgjdbc[i]}, dbtls {(connected ? $"connected (ssl={encrypted})" : $"refused: {detail}")}");
                    }
                }
            }

            Assert.True(mismatches.Count == 0, $"{fixtureName}: {mismatches.Count} of {urls.Count} rows differ:\n{string.Join("\n", mismatches)}");
        }
        finally
        {
            await server.RestoreDefaultsAsync();
        }
    }

    [Fact]
    public async Task The_matrix_has_rows_both_drivers_accept_and_rows_both_refuse()
    {
        // Guards the theory above against passing vacuously (e.g. every row refused for an unrelated reason).
        var server = fixture.Server;
        var certs = fixture.Certificates;
        await server.RestoreDefaultsAsync();
        var good = $"jdbc:postgresql://localhost:{server.Port}/postgres?user={PostgresUsers.Scram}&password={PostgresUsers.ScramPassword}&ssl=true&sslrootcert={certs.RootPath}";
        var wrong = $"jdbc:postgresql://localhost:{server.Port}/postgres?user={PostgresUsers.Scram}&password={PostgresUsers.ScramPassword}&ssl=true&sslrootcert={certs.WrongRootPath}";

        var pgjdbc = await PgjdbcOracle.RunAsync([good, wrong], _home);

        Assert.True(pgjdbc[0].Connected && pgjdbc[0].Encrypted == true, pgjdbc[0].ToString());
        Assert.False(pgjdbc[1].Connected, pgjdbc[1].ToString());
        Assert.True((await RunDbTlsAsync(good)).Connected);
        Assert.False((await RunDbTlsAsync(wrong)).Connected);

        // The report speaks pgjdbc: its dialect, its host-name rules, the sslmode ssl=true stands for.
        var report = await Check(good);
        Assert.Equal("pgjdbc", report.Target.Dialect);
        Assert.Equal("pgjdbc", report.Policy!.HostNameRules);
        Assert.Equal("sslmode=verify-full (implied by ssl=true)", report.Policy.Summary);
        Assert.DoesNotContain(PostgresUsers.ScramPassword, report.Target.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonValidatingFactory_with_verify_full_pgjdbc_checks_the_name_dbtls_warns_that_it_cannot()
    {
        var server = fixture.Server;
        var certs = fixture.Certificates;
        try
        {
            await server.ReloadWithCertificatesAsync(certs.CnDiffersFromSan.Material);
            var url = $"jdbc:postgresql://localhost:{server.Port}/postgres?user={PostgresUsers.Scram}&password={PostgresUsers.ScramPassword}&sslmode=verify-full&sslfactory=org.postgresql.ssl.NonValidatingFactory";

            var pgjdbc = (await PgjdbcOracle.RunAsync([url], _home))[0];
            var report = await Check(url);

            Assert.False(pgjdbc.Connected);
            Assert.Contains("could not be verified by hostnameverifier", pgjdbc.Detail, StringComparison.Ordinal);
            Assert.Contains(report.Findings, f => f.Code == "config.note" && f.Severity == "warning" && f.Message.Contains("NonValidatingFactory", StringComparison.Ordinal));
        }
        finally
        {
            await server.RestoreDefaultsAsync();
        }
    }

    private async Task<(bool Connected, bool? Encrypted, string Detail)> RunDbTlsAsync(string url)
    {
        var report = await Check(url);
        var connected = report.Login?.Succeeded == true;
        var detail = string.Join("; ", report.Findings.Where(f => f.Severity == "error").Select(f => $"{f.Code}: {f.Message}"));
        return (connected, connected ? report.Server?.Ssl : null, detail);
    }

    private Task<CheckReport> Check(string url) =>
        DialectRegistry.Default.Find("pgjdbc")!.CheckAsync(
            url,
            new CheckEnvironment(new Dictionary<string, string> { ["HOME"] = _home }) { OsUserName = "root" },
            new CheckOptions { Timeout = TimeSpan.FromSeconds(20) },
            CancellationToken.None);

    private static string Shown(string url) => url.Replace(PostgresUsers.ScramPassword, "***", StringComparison.Ordinal);
}

using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.EndToEnd.Native;

/// <summary>
/// The published binary against a real PostgreSQL under libpq's rules: a verified SCRAM login that reads
/// pg_stat_ssl, and refusals (a root that did not issue the server certificate; the system trust store, which
/// does not hold the test CA), each with the same report as the in-process run.
/// </summary>
public abstract class NativePostgresTests(PostgresFixture fixture)
{
    private string ConnInfo(string extra) =>
        $"host=localhost port={fixture.Server.Port} user={PostgresUsers.Scram} dbname=postgres {extra}";

    private static Dictionary<string, string> Password => new() { ["PGPASSWORD"] = PostgresUsers.ScramPassword };

    [Fact]
    public async Task Verify_full_with_the_issuing_root_logs_in()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var run = await NativeParity.RunAsync([ConnInfo($"sslmode=verify-full sslrootcert={fixture.Certificates.RootPath}")], Password);

        Assert.Equal(ExitCodes.Ok, run.Native.ExitCode);
        Assert.Equal(Verdicts.Ok, run.Report.Verdict);
        Assert.Equal("scram-sha-256-plus", run.Report.Login?.Mechanism); // channel binding, as libpq does over TLS
        Assert.True(run.Report.Server?.Ssl, run.Native.Stdout);
        Assert.DoesNotContain(PostgresUsers.ScramPassword, run.Native.Stdout + run.Native.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_full_with_another_root_is_rejected_before_any_credential()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var run = await NativeParity.RunAsync([ConnInfo($"sslmode=verify-full sslrootcert={fixture.Certificates.WrongRootPath}")], Password);

        Assert.Equal(ExitCodes.Rejected, run.Native.ExitCode);
        Assert.Equal(Verdicts.Rejected, run.Report.Verdict);
        Assert.Contains(FindingCodes.CertUntrusted, run.Codes);
        Assert.NotEqual(true, run.Report.Login?.Attempted);
    }

    [Fact]
    public async Task The_system_trust_store_does_not_hold_the_test_ca()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var run = await NativeParity.RunAsync([ConnInfo("sslrootcert=system")], Password);

        Assert.Equal(ExitCodes.Rejected, run.Native.ExitCode);
        Assert.Contains(FindingCodes.CertUntrusted, run.Codes);
    }
}

[Trait("Category", "Native")]
[Trait("Category", "Integration")]
[Collection(Postgres15Collection.Name)]
public sealed class NativePostgres15Tests(Postgres15Fixture fixture) : NativePostgresTests(fixture);

[Trait("Category", "Native")]
[Trait("Category", "Integration")]
[Collection(Postgres18Collection.Name)]
public sealed class NativePostgres18Tests(Postgres18Fixture fixture) : NativePostgresTests(fixture);

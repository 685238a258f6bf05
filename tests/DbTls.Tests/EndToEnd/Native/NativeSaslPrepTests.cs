using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.EndToEnd.Native;

/// <summary>
/// A PostgreSQL password with compatibility characters, which SASLprep's NFKC changes ("Ⅸ" becomes "IX", "ﬁ"
/// becomes "fi", "ª" becomes "a"): the server stores the SCRAM secret of the normalised form, so a client that
/// skips NFKC sends a proof the server rejects. psql (libpq's own tables) logs in; dbtls must too, in process
/// (.NET with ICU) and as the shipped binary (invariant globalization, NFKC through the system ICU).
/// </summary>
public abstract class NativeSaslPrepTests(PostgresFixture fixture)
{
    // Compatibility characters only NFKC maps, around ASCII so that the password is not all compatibility text.
    private const string CompatibilityPassword = "pw-\u2168-\uFB01-\u00AA-\u2460";

    // The same password without NFKC gives another proof: this one must fail for everyone.
    private const string WrongPassword = "pw-\u2167-\uFB01-\u00AA-\u2460";

    private string ConnInfo => $"host=localhost port={fixture.Server.Port} user={PostgresUsers.Any} dbname=postgres sslmode=verify-full sslrootcert={fixture.Certificates.RootPath}";

    [Fact]
    public async Task Psql_and_dbtls_both_log_in_with_a_password_nfkc_changes()
    {
        await fixture.Server.RestoreDefaultsAsync();
        await WithPasswordAsync(CompatibilityPassword, async () =>
        {
            var psql = await PsqlRunner.RunAsync(ConnInfo, new PsqlOptions { Environment = Env(CompatibilityPassword) });
            Assert.True(psql.Succeeded, $"psql: {psql}");

            var run = await NativeParity.RunAsync([ConnInfo], Env(CompatibilityPassword));
            Assert.Equal(ExitCodes.Ok, run.Native.ExitCode);
            Assert.Equal(Verdicts.Ok, run.Report.Verdict);
            Assert.True(run.Report.Login?.Succeeded, run.Native.Stdout);
            Assert.Equal("scram-sha-256-plus", run.Report.Login?.Mechanism);
            Assert.DoesNotContain("NFKC", run.Report.Login?.Detail ?? "", StringComparison.Ordinal); // normalised, not skipped
            Assert.DoesNotContain(CompatibilityPassword, run.Native.Stdout + run.Native.Stderr, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Psql_and_dbtls_both_refuse_a_password_that_differs_after_nfkc()
    {
        await fixture.Server.RestoreDefaultsAsync();
        await WithPasswordAsync(CompatibilityPassword, async () =>
        {
            var psql = await PsqlRunner.RunAsync(ConnInfo, new PsqlOptions { Environment = Env(WrongPassword) });
            Assert.False(psql.Succeeded, $"psql: {psql}");

            var run = await NativeParity.RunAsync([ConnInfo], Env(WrongPassword));
            Assert.NotEqual(ExitCodes.Ok, run.Native.ExitCode);
            Assert.Contains(FindingCodes.AuthFailed, run.Codes);
            Assert.NotEqual(true, run.Report.Login?.Succeeded);
        });
    }

    private static Dictionary<string, string> Env(string password) => new() { ["PGPASSWORD"] = password };

    /// <summary>
    /// Gives the shared dbtls_any role this password for one test (the server SASLpreps it when it builds the SCRAM
    /// secret, as for any user), then restores the harness password; tests of one collection never run concurrently.
    /// </summary>
    private async Task WithPasswordAsync(string password, Func<Task> test)
    {
        await SetPasswordAsync(password);
        try
        {
            await test();
        }
        finally
        {
            await SetPasswordAsync(PostgresUsers.AnyPassword);
        }
    }

    private async Task SetPasswordAsync(string password)
    {
        var set = await fixture.Server.ExecuteAsSuperuserAsync(
            $"SET password_encryption = 'scram-sha-256'; ALTER ROLE {PostgresUsers.Any} PASSWORD '{password}';");
        Assert.True(set.Succeeded, $"ALTER ROLE: {set}");
    }
}

[Trait("Category", "Native")]
[Trait("Category", "Integration")]
[Collection(Postgres15Collection.Name)]
public sealed class NativeSaslPrep15Tests(Postgres15Fixture fixture) : NativeSaslPrepTests(fixture);

[Trait("Category", "Native")]
[Trait("Category", "Integration")]
[Collection(Postgres18Collection.Name)]
public sealed class NativeSaslPrep18Tests(Postgres18Fixture fixture) : NativeSaslPrepTests(fixture);

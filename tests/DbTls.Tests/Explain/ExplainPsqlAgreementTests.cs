using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.Explain;

/// <summary>
/// What explain says about verification is what psql (libpq 15) does against a real PostgreSQL 18: a string explain calls
/// unverified connects although nothing the client trusts issued the server's certificate; one it calls verified is refused
/// when the trusted root is the wrong one.
/// </summary>
[Trait("Category", "Integration")]
[Collection(Postgres18Collection.Name)]
public sealed class ExplainPsqlAgreementTests(Postgres18Fixture fixture) : IDisposable
{
    private readonly ExplainFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private string ConnInfo(string extra) => $"host=localhost port={fixture.Server.Port} user={PostgresUsers.Scram} dbname=postgres {extra}";

    private static Task<Infrastructure.ProcessResult> Psql(string conninfo) =>
        PsqlRunner.RunAsync(conninfo, new PsqlOptions { Environment = new Dictionary<string, string> { ["PGPASSWORD"] = PostgresUsers.ScramPassword } });

    [Fact]
    public async Task Require_is_called_unverified_and_psql_connects_to_a_certificate_it_cannot_trust()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var conninfo = ConnInfo("sslmode=require");

        var explanation = _fx.Explained(conninfo);
        var psql = await Psql(conninfo);

        Assert.Equal(VerificationLevel.None, explanation.Description.Tls.Verification);
        Assert.Contains(FindingCodes.LintUnverifiedEncryption, ExplainFixture.Codes(explanation));
        Assert.True(psql.Succeeded, psql.ToString());
    }

    [Fact]
    public async Task Require_with_a_root_file_is_called_chain_verified_and_psql_refuses_the_wrong_root()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var conninfo = ConnInfo($"sslmode=require sslrootcert={fixture.Certificates.WrongRootPath}");

        var explanation = _fx.Explained(conninfo);
        var psql = await Psql(conninfo);

        Assert.Equal(VerificationLevel.Chain, explanation.Description.Tls.Verification);
        Assert.DoesNotContain(FindingCodes.LintUnverifiedEncryption, ExplainFixture.Codes(explanation));
        Assert.False(psql.Succeeded, psql.ToString());
    }

    [Fact]
    public async Task Verify_full_with_the_right_root_is_clean_and_psql_connects()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var conninfo = ConnInfo($"sslmode=verify-full sslrootcert={fixture.Certificates.RootPath}");

        var explanation = _fx.Explained(conninfo);
        var psql = await Psql(conninfo);

        Assert.Empty(ExplainFixture.Lint(explanation));
        Assert.True(psql.Succeeded, psql.ToString());
    }
}

using DbTls.Tests.Servers.Postgres;
using Xunit.Abstractions;

namespace DbTls.Tests.EndToEnd.Npgsql;

/// <summary>
/// dbtls' npgsql dialect against the real Npgsql 10.0.3 on a real PostgreSQL 15: for every certificate fixture ×
/// host (name and IP) × SSL Mode, with and without Root Certificate, both connect (and agree on whether the session
/// is encrypted) or both refuse for the same class of reason. The measured surprises against libpq are asserted
/// separately below, so that a change in Npgsql shows up as a named failure rather than only as a disagreement.
/// </summary>
[Trait("Category", "Integration")]
[Collection(Postgres15Collection.Name)]
public sealed class NpgsqlDifferentialTests(Postgres15Fixture fixture, ITestOutputHelper output)
{
    private static readonly string[] Modes = ["Disable", "Allow", "Prefer", "Require", "VerifyCA", "VerifyFull"];

    public static TheoryData<string> Fixtures => new()
    {
        "good", "wrong-root", "missing-intermediate", "cn-only", "cn-differs-from-san", "ip-in-cn-only", "ip-sans", "no-names", "expired", "wrong-eku",
    };

    private PostgresServer Server => fixture.Server;

    private string ConnectionString(string host, string user, string? password, string extra) =>
        $"Host={host};Port={Server.Port};Username={user};Database={PostgresUsers.Database}"
        + (password is null ? "" : $";Password={password}") + (extra.Length == 0 ? "" : ";" + extra);

    private async Task<(NpgsqlOutcome Npgsql, NpgsqlOutcome DbTls)> CompareAsync(string connectionString)
    {
        var npgsql = await NpgsqlOracle.RunNpgsqlAsync(connectionString);
        var (dbtls, report) = await NpgsqlOracle.RunDbTlsAsync(connectionString);
        Assert.Equal("npgsql", report.Target.Dialect);
        output.WriteLine($"{(npgsql.SameVerdict(dbtls) ? "agree   " : "DISAGREE")} npgsql {npgsql} | dbtls {dbtls} | {report.Target.ConnectionString}");
        return (npgsql, dbtls);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Verdict_matches_Npgsql_for_every_ssl_mode_host_and_root_certificate(string fixtureName)
    {
        await Server.ReloadWithCertificatesAsync(fixture.Certificates[fixtureName].Material, PostgresTlsSettings.Default);
        var disagreements = new List<string>();
        var rows = 0;
        foreach (var host in new[] { "localhost", "127.0.0.1" })
        {
            foreach (var mode in Modes)
            {
                foreach (var root in new[] { fixture.Certificates.RootPath, null })
                {
                    var extra = $"SSL Mode={mode}" + (root is null ? "" : $";Root Certificate={root}");
                    var (npgsql, dbtls) = await CompareAsync(ConnectionString(host, PostgresUsers.Any, PostgresUsers.AnyPassword, extra));
                    rows++;
                    if (!npgsql.SameVerdict(dbtls))
                    {
                        disagreements.Add($"{host} {extra}: npgsql {npgsql} vs dbtls {dbtls}");
                    }
                }
            }
        }

        Assert.Equal(24, rows);
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }

    [Theory]
    [InlineData("Disable")]
    [InlineData("Allow")]
    [InlineData("Prefer")]
    [InlineData("Require")]
    [InlineData("VerifyFull")]
    public async Task Server_without_tls_matches_Npgsql(string mode)
    {
        await Server.ReloadAsync(new PostgresTlsSettings { Ssl = false });
        try
        {
            var (npgsql, dbtls) = await CompareAsync(ConnectionString("localhost", PostgresUsers.Any, PostgresUsers.AnyPassword,
                $"SSL Mode={mode};Root Certificate={fixture.Certificates.RootPath}"));
            Assert.True(npgsql.SameVerdict(dbtls), $"npgsql {npgsql} vs dbtls {dbtls}");
            Assert.Equal(mode is "Disable" or "Allow" or "Prefer", npgsql.Connected);
        }
        finally
        {
            await Server.RestoreDefaultsAsync();
        }
    }

    [Theory]
    [InlineData("Allow")]
    [InlineData("Prefer")]
    [InlineData("Require")]
    public async Task Hostnossl_user_matches_Npgsql_fallbacks(string mode)
    {
        // dbtls_plain may only log in without TLS: Prefer retries without TLS after the server's refusal over TLS.
        await Server.RestoreDefaultsAsync();
        var (npgsql, dbtls) = await CompareAsync(ConnectionString("localhost", PostgresUsers.Plain, PostgresUsers.PlainPassword, $"SSL Mode={mode}"));
        Assert.True(npgsql.SameVerdict(dbtls), $"npgsql {npgsql} vs dbtls {dbtls}");
        Assert.Equal(mode != "Require", npgsql.Connected);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Client_certificate_user_matches_Npgsql(bool giveCertificate)
    {
        await Server.RestoreDefaultsAsync();
        var certs = fixture.Certificates;
        var extra = $"SSL Mode=VerifyFull;Root Certificate={certs.RootPath}"
            + (giveCertificate ? $";SSL Certificate={certs.ClientCertificatePath};SSL Key={certs.ClientKeyPath}" : "");
        var (npgsql, dbtls) = await CompareAsync(ConnectionString("localhost", PostgresUsers.Cert, null, extra));
        Assert.True(npgsql.SameVerdict(dbtls), $"npgsql {npgsql} vs dbtls {dbtls}");
        Assert.Equal(giveCertificate, npgsql.Connected);
    }

    [Fact]
    public async Task Require_with_a_root_certificate_does_not_verify_in_Npgsql_10_unlike_libpq()
    {
        // Measured: Npgsql 8+ accepts any certificate under Require even with Root Certificate (libpq would verify the chain).
        await Server.ReloadWithCertificatesAsync(fixture.Certificates.WrongRoot.Material, PostgresTlsSettings.Default);
        try
        {
            var (npgsql, dbtls) = await CompareAsync(ConnectionString("localhost", PostgresUsers.Any, PostgresUsers.AnyPassword,
                $"SSL Mode=Require;Root Certificate={fixture.Certificates.RootPath}"));
            Assert.Equal(new NpgsqlOutcome(true, true, "", ""), npgsql);
            Assert.Equal(npgsql, dbtls);
        }
        finally
        {
            await Server.RestoreDefaultsAsync();
        }
    }

    [Fact]
    public async Task Trust_Server_Certificate_does_nothing_in_Npgsql_10()
    {
        // Obsolete since 8.0: VerifyFull with an untrusted chain still fails when Trust Server Certificate=true.
        await Server.ReloadWithCertificatesAsync(fixture.Certificates.WrongRoot.Material, PostgresTlsSettings.Default);
        try
        {
            var (npgsql, dbtls) = await CompareAsync(ConnectionString("localhost", PostgresUsers.Any, PostgresUsers.AnyPassword,
                $"SSL Mode=VerifyFull;Trust Server Certificate=true;Root Certificate={fixture.Certificates.RootPath}"));
            Assert.False(npgsql.Connected);
            Assert.Equal(NpgsqlOracle.Certificate, npgsql.FailureClass);
            Assert.True(npgsql.SameVerdict(dbtls), $"npgsql {npgsql} vs dbtls {dbtls}");
        }
        finally
        {
            await Server.RestoreDefaultsAsync();
        }
    }
}

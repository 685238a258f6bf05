using DbTls.Diagnostics;
using DbTls.Scan;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.Scan;

/// <summary>
/// The PostgreSQL facts of a scan on real servers: the SSLRequest answer, direct TLS and its ALPN rule (17+ only),
/// and whether pg_hba.conf lets the startup's role in without TLS (the fixture's <c>host</c> rule for postgres:
/// yes; a server whose pg_hba.conf has only <c>hostssl</c> lines: no).
/// </summary>
[Collection(Postgres18Collection.Name)]
[Trait("Category", "Integration")]
public sealed class ScanPostgres18FactsTests(Postgres18Fixture pg)
{
    [Fact]
    public async Task PostgreSQL_18_answers_S_takes_direct_TLS_only_with_ALPN_and_lets_postgres_in_without_TLS()
    {
        await pg.Server.RestoreDefaultsAsync();

        var report = await PostgresScanCases.ScanAsync(pg.Server, PostgresScanCases.SslRequest);

        var facts = Assert.IsType<PostgresScanFacts>(report.Postgres);
        Assert.Equal("S", facts.SslRequestAnswer);
        Assert.True(facts.DirectTls);
        Assert.True(facts.DirectTlsAlpnEnforced);
        // pg_hba.conf: "host all postgres 127.0.0.1/32 scram-sha-256" admits the superuser without TLS.
        Assert.Equal(PostgresFacts.StartupUser, facts.PlaintextStartupUser);
        Assert.True(facts.PlaintextStartupAccepted);
        Assert.Equal("authentication request (SASL)", facts.PlaintextStartupAnswer);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.ScanPlaintextAccepted);
        // The startup sent no password: the server log shows the connection, and no authentication failure.
        Assert.DoesNotContain("password authentication failed for user \"postgres\"", pg.Server.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_line_shows_the_PostgreSQL_facts_in_JSON_and_text()
    {
        await pg.Server.RestoreDefaultsAsync();
        var target = $"host=127.0.0.1 port={pg.Server.Port} user=dbtls_scram password=not-sent sslmode=require";

        var json = await DbTls.Tests.Cli.CliRun.RunAsync(["scan", target, "--format", "json"]);
        var text = await DbTls.Tests.Cli.CliRun.RunAsync(["scan", target]);

        using var document = System.Text.Json.JsonDocument.Parse(json.Stdout);
        var facts = document.RootElement.GetProperty("postgres");
        Assert.Equal("postgres", document.RootElement.GetProperty("protocol").GetString());
        Assert.Equal("S", facts.GetProperty("sslRequestAnswer").GetString());
        Assert.True(facts.GetProperty("directTls").GetBoolean());
        Assert.True(facts.GetProperty("directTlsAlpnEnforced").GetBoolean());
        Assert.True(facts.GetProperty("plaintextStartupAccepted").GetBoolean());
        Assert.Contains("direct TLS without ALPN refused: yes; startup without TLS as postgres: authentication request (SASL)", text.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("not-sent", json.Stdout + text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_ssl_off_the_answer_is_N_and_there_is_no_direct_TLS()
    {
        await pg.Server.ReloadAsync(new PostgresTlsSettings { Ssl = false });
        try
        {
            var report = await PostgresScanCases.ScanAsync(pg.Server, PostgresScanCases.SslRequest);

            var facts = Assert.IsType<PostgresScanFacts>(report.Postgres);
            Assert.Equal("N", facts.SslRequestAnswer);
            Assert.False(facts.DirectTls);
            Assert.Null(facts.DirectTlsAlpnEnforced);
            Assert.All(report.Versions, v => Assert.False(v.Accepted));
            Assert.Contains(report.Findings, f => f.Code == FindingCodes.ScanPlaintextAccepted);
        }
        finally
        {
            await pg.Server.RestoreDefaultsAsync();
        }
    }

    [Fact]
    public async Task A_server_whose_pg_hba_has_only_hostssl_rules_refuses_the_plaintext_startup()
    {
        var directory = OwnedTempDirectory.Create("dbtls-scan-hba-");
        try
        {
            var hba = Path.Combine(directory, "pg_hba.conf");
            await File.WriteAllTextAsync(hba, "local all postgres scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\nhostssl all all ::1/128 scram-sha-256\n");
            UnixAccounts.ChangeOwner(directory, PostgresServer.ServiceAccount);
            UnixAccounts.ChangeOwner(hba, PostgresServer.ServiceAccount);
            await using var server = await PostgresServer.StartAsync(PostgresVersion.V18, pg.Certificates.Good.Material, new PostgresServerOptions
            {
                ExtraSettings = new Dictionary<string, string> { ["hba_file"] = $"'{hba}'" },
            });

            var report = await PostgresScanCases.ScanAsync(server, PostgresScanCases.SslRequest);

            var facts = Assert.IsType<PostgresScanFacts>(report.Postgres);
            Assert.Equal("S", facts.SslRequestAnswer);
            Assert.False(facts.PlaintextStartupAccepted);
            Assert.Contains("28000", facts.PlaintextStartupAnswer, StringComparison.Ordinal);
            Assert.Contains("no encryption", facts.PlaintextStartupAnswer, StringComparison.Ordinal);
            Assert.DoesNotContain(report.Findings, f => f.Code == FindingCodes.ScanPlaintextAccepted);
        }
        finally
        {
            OwnedTempDirectory.TryDelete(directory);
        }
    }
}

[Collection(Postgres15Collection.Name)]
[Trait("Category", "Integration")]
public sealed class ScanPostgres15FactsTests(Postgres15Fixture pg)
{
    [Fact]
    public async Task PostgreSQL_15_has_no_direct_TLS()
    {
        await pg.Server.RestoreDefaultsAsync();

        var report = await PostgresScanCases.ScanAsync(pg.Server, PostgresScanCases.SslRequest);

        var facts = Assert.IsType<PostgresScanFacts>(report.Postgres);
        Assert.Equal("S", facts.SslRequestAnswer);
        Assert.False(facts.DirectTls);
        Assert.Null(facts.DirectTlsAlpnEnforced);
        Assert.True(facts.PlaintextStartupAccepted);
    }
}

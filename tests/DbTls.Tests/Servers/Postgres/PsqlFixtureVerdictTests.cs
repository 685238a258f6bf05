namespace DbTls.Tests.Servers.Postgres;

/// <summary>
/// Each certificate fixture is what its name says, as the reference client sees it: libpq 15's
/// sslmode=verify-full verdict per fixture, host name and CRL. These are the expectations the
/// libpq documentation gives (chain to sslrootcert; SAN dNSName/iPAddress, CN only without SANs;
/// one-label wildcards; CRLs when sslcrl is set); a fixture built wrong makes them fail.
/// </summary>
public abstract class PsqlFixtureVerdictTests(PostgresFixture fixture)
{
    public static TheoryData<string, string, string, bool> Cases => new()
    {
        // fixture, host part of the conninfo, extra keywords, libpq accepts
        { "good", "host=localhost", "", true },
        { "good", "host=127.0.0.1", "", true },
        { "good", "host=::1", "", true },
        { "wrong-root", "host=localhost", "", false },
        { "missing-intermediate", "host=localhost", "", false },
        { "missing-intermediate", "host=localhost", "sslrootcert=ROOT+INTERMEDIATE", true },
        { "cn-only", "host=localhost", "", true },
        { "cn-only", "host=127.0.0.1", "", false },
        { "cn-differs-from-san", "host=localhost", "", false },
        { "cn-differs-from-san", "hostaddr=127.0.0.1 host=db.dbtls.test", "", true },
        { "wildcard", "hostaddr=127.0.0.1 host=a.dbtls.test", "", true },
        { "wildcard", "hostaddr=127.0.0.1 host=a.b.dbtls.test", "", false },
        { "wildcard", "hostaddr=127.0.0.1 host=dbtls.test", "", false },
        // libpq 14+: an IP host is compared with the CN when there is no iPAddress SAN.
        { "ip-in-cn-only", "host=127.0.0.1", "", true },
        { "ip-in-cn-only", "host=localhost", "", false },
        { "ip-sans", "host=127.0.0.1", "", true },
        { "ip-sans", "host=localhost", "", false },
        { "no-names", "host=localhost", "", false },
        { "expired", "host=localhost", "", false },
        { "not-yet-valid", "host=localhost", "", false },
        { "wrong-eku", "host=localhost", "", false },
        { "revoked", "host=localhost", "", true },
        { "revoked", "host=localhost", "sslcrl=CRLS", false },
        { "good", "host=localhost", "sslcrl=CRLS", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Psql_verify_full_verdict_matches_the_fixture(string fixtureName, string host, string extra, bool accepted)
    {
        var certs = fixture.Certificates;
        var server = fixture.Server;
        try
        {
            await server.ReloadWithCertificatesAsync(certs[fixtureName].Material);
            var rootCert = extra.Contains("sslrootcert=", StringComparison.Ordinal) ? "" : $"sslrootcert={certs.RootPath}";
            extra = extra.Replace("ROOT+INTERMEDIATE", certs.RootAndIntermediatePath, StringComparison.Ordinal)
                .Replace("CRLS", certs.CrlChainPath, StringComparison.Ordinal);
            var conninfo = $"{host} port={server.Port} user={PostgresUsers.Scram} password={PostgresUsers.ScramPassword} dbname=postgres sslmode=verify-full {rootCert} {extra}";

            var result = await PsqlRunner.RunAsync(conninfo, "select ssl from pg_stat_ssl where pid = pg_backend_pid()");

            Assert.True(accepted == result.Succeeded, $"{fixtureName} {host} {extra}: expected {(accepted ? "accepted" : "refused")}, psql: {result}");
            if (accepted)
            {
                Assert.Equal("t", result.Stdout.Trim());
            }
            else
            {
                // Refused during certificate checks, never by the server's authentication.
                Assert.DoesNotContain("authentication failed", result.Stderr, StringComparison.Ordinal);
                Assert.Matches("certificate|does not match host name|host name", result.Stderr);
            }
        }
        finally
        {
            await server.RestoreDefaultsAsync();
        }
    }
}

[Trait("Category", "Integration")]
[Collection(Postgres15Collection.Name)]
public sealed class Postgres15PsqlFixtureVerdictTests(Postgres15Fixture fixture) : PsqlFixtureVerdictTests(fixture);

[Trait("Category", "Integration")]
[Collection(Postgres18Collection.Name)]
public sealed class Postgres18PsqlFixtureVerdictTests(Postgres18Fixture fixture) : PsqlFixtureVerdictTests(fixture);

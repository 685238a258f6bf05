using System.Text.Json;
using DbTls.Diagnostics;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.Tls.Legacy;

/// <summary>
/// libpq's <c>ssl_min_protocol_version=TLSv1</c> takes the legacy (BouncyCastle) engine; against a real
/// PostgreSQL 15 it must still negotiate TLS 1.3 and log in with channel binding, through the
/// whole command line.
/// </summary>
[Trait("Category", "Integration")]
[Collection(Postgres15Collection.Name)]
public sealed class LegacyPostgresTests(Postgres15Fixture fixture) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("dbtls-legacy-pg-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task Legacy_minimum_against_postgres15_still_negotiates_tls13_and_logs_in()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var environment = new Dictionary<string, string> { ["HOME"] = _home, ["PATH"] = "/usr/bin:/bin", ["PGPASSWORD"] = PostgresUsers.ScramPassword };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var conninfo = $"host=localhost port={fixture.Server.Port} user={PostgresUsers.Scram} dbname=postgres sslmode=verify-full sslrootcert={fixture.Certificates.RootPath} ssl_min_protocol_version=TLSv1";

        var exit = await DbTls.Cli.Cli.RunAsync(["check", conninfo, "--format", "json"], stdout, stderr, environment);

        Assert.True(exit == ExitCodes.Ok, stdout.ToString() + stderr);
        using var json = JsonDocument.Parse(stdout.ToString());
        var root = json.RootElement;
        Assert.Equal("ok", root.GetProperty("verdict").GetString());
        var tls = root.GetProperty("tls");
        Assert.Equal("TLSv1.3", tls.GetProperty("protocol").GetString());
        Assert.StartsWith("TLS_", tls.GetProperty("cipherSuite").GetString(), StringComparison.Ordinal);
        Assert.All(tls.GetProperty("validation").EnumerateArray().Where(s => s.GetProperty("step").GetString() != "revocation"),
            s => Assert.Equal("passed", s.GetProperty("outcome").GetString()));
        Assert.True(root.GetProperty("server").GetProperty("ssl").GetBoolean());
        Assert.True(root.GetProperty("login").GetProperty("channelBinding").GetBoolean());
        Assert.DoesNotContain(root.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "tls.weak-protocol" && f.GetProperty("severity").GetString() == "warning" && f.GetProperty("message").GetString()!.Contains("the connection uses", StringComparison.Ordinal));
    }
}

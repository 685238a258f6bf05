using DbTls.Checks;
using DbTls.Dialects;
using DbTls.Reports;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Postgres;
using Xunit.Abstractions;

namespace DbTls.Tests.Dialects.NodePostgres;

/// <summary>
/// The same postgres:// strings given to the real node-postgres (pg 8.23.1, pg-connection-string 2.14.1 on Node 20,
/// tools/node-pg/connect.js) and to dbtls' node-postgres dialect, against real PostgreSQL 15 serving each certificate
/// fixture: whether pg connected (and over TLS) must equal dbtls' verdict, row by row. Both get the same environment
/// (an empty HOME, USER=root, no PG* variables) and the role dbtls_scram, which pg_hba allows over TLS only.
/// </summary>
[Trait("Category", "Integration")]
[Collection(Postgres15Collection.Name)]
public sealed class NodePostgresParityTests(Postgres15Fixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly string _home = OwnedTempDirectory.Create("dbtls-nodepg-home-");

    public void Dispose() => OwnedTempDirectory.TryDelete(_home);

    /// <summary>The settings columns; ROOT is the fixtures' root CA file, WRONGROOT another CA, MISSING a file that does not exist.</summary>
    private static readonly string[] Settings =
    [
        "sslmode=verify-full&sslrootcert=ROOT",
        "sslmode=require&sslrootcert=ROOT",
        "sslmode=prefer&sslrootcert=ROOT",
        "sslmode=verify-ca&sslrootcert=ROOT",
        "sslmode=allow&sslrootcert=ROOT",
        "sslmode=require",
        "sslmode=no-verify",
        "sslmode=disable",
        "uselibpqcompat=true&sslmode=require",
        "uselibpqcompat=true&sslmode=require&sslrootcert=ROOT",
        "uselibpqcompat=true&sslmode=verify-ca&sslrootcert=ROOT",
        "uselibpqcompat=true&sslmode=verify-full&sslrootcert=ROOT",
        "uselibpqcompat=true&sslmode=prefer",
        "uselibpqcompat=true&sslmode=verify-ca",
        "uselibpqcompat=true&sslmode=no-verify&sslrootcert=ROOT",
        "sslmode=verify-full&sslrootcert=WRONGROOT",
        "sslmode=verify-full&sslrootcert=MISSING",
        "sslrootcert=ROOT",
        // URLSearchParams reads a raw '+' as a space (the file is then not found); %2B is a '+'.
        "sslmode=verify-full&sslrootcert=ROOT+INTERMEDIATE",
        "sslmode=verify-full&sslrootcert=ROOT%2BINTERMEDIATE",
        "ssl=true",
        "ssl=false",
        "ssl=0",
        "ssl=no-verify",
        "",
    ];

    public static TheoryData<string> Fixtures => [.. PgCertificateFixtures.Names];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Dbtls_verdict_equals_node_postgres_for_every_setting(string fixtureName)
    {
        Assert.True(NodePostgresOracle.Available, "node-postgres oracle missing: run scripts/setup.sh (tools/node-pg)");
        var server = fixture.Server;
        var certs = fixture.Certificates;
        var hosts = new List<string> { "localhost", "127.0.0.1" };
        if (server.ListensOnIPv6)
        {
            hosts.Add("[::1]");
        }

        var strings = new List<string>();
        foreach (var host in hosts)
        {
            foreach (var setting in Settings)
            {
                strings.Add(ConnectionString(host, PostgresUsers.Scram, PostgresUsers.ScramPassword, Substitute(setting)));
            }
        }

        try
        {
            await server.ReloadWithCertificatesAsync(certs[fixtureName].Material);
            await AssertSameVerdictsAsync(fixtureName, strings);
        }
        finally
        {
            await server.RestoreDefaultsAsync();
        }
    }

    [Fact]
    public async Task Client_certificates_dbtls_verdict_equals_node_postgres()
    {
        Assert.True(NodePostgresOracle.Available, "node-postgres oracle missing: run scripts/setup.sh (tools/node-pg)");
        var certs = fixture.Certificates;
        var client = $"&sslcert={certs.ClientCertificatePath}&sslkey={certs.ClientKeyPath}";
        string[] settings =
        [
            "sslmode=verify-full&sslrootcert=ROOT" + client,
            "sslmode=verify-full&sslrootcert=ROOT",
            "sslmode=no-verify" + client,
            "sslmode=no-verify",
            "uselibpqcompat=true&sslmode=require" + client,
            "uselibpqcompat=true&sslmode=verify-ca&sslrootcert=ROOT" + client,
            $"sslmode=verify-full&sslrootcert=ROOT&sslcert={certs.ClientCertificatePath}&sslkey=MISSING",
            "sslmode=disable" + client,
        ];

        await fixture.Server.RestoreDefaultsAsync();
        await AssertSameVerdictsAsync("client certificates", [.. settings.Select(s => ConnectionString("localhost", PostgresUsers.Cert, null, Substitute(s)))]);
    }

    [Fact]
    public async Task The_matrix_has_rows_both_accept_and_rows_both_refuse_and_the_report_speaks_node_postgres()
    {
        // Guards the theory against passing vacuously (every row refused for one unrelated reason).
        await fixture.Server.RestoreDefaultsAsync();
        var good = ConnectionString("localhost", PostgresUsers.Scram, PostgresUsers.ScramPassword, Substitute("sslmode=require&sslrootcert=ROOT"));
        var compat = ConnectionString("localhost", PostgresUsers.Scram, PostgresUsers.ScramPassword, Substitute("uselibpqcompat=true&sslmode=require&sslrootcert=WRONGROOT"));
        var wrong = ConnectionString("localhost", PostgresUsers.Scram, PostgresUsers.ScramPassword, Substitute("sslmode=require&sslrootcert=WRONGROOT"));

        var node = await NodePostgresOracle.RunAsync([good, compat, wrong], Environment());

        Assert.True(node[0].Connected && node[0].Encrypted == true, node[0].ToString());
        Assert.False(node[1].Connected, node[1].ToString());
        Assert.False(node[2].Connected, node[2].ToString());
        var report = await Check(wrong);
        Assert.False(report.Login?.Succeeded == true);
        Assert.Equal("node-postgres", report.Target.Dialect);
        Assert.Equal("node", report.Policy!.HostNameRules);
        Assert.StartsWith("sslmode=require, treated as verify-full", report.Policy.Summary, StringComparison.Ordinal);
        Assert.Contains(report.Findings, f => f.Code == "lint.sslmode-alias" && f.Severity == "warning" && f.Message.Contains("treats it as verify-full", StringComparison.Ordinal));
        Assert.DoesNotContain(PostgresUsers.ScramPassword, report.Target.ConnectionString, StringComparison.Ordinal);
    }

    private async Task AssertSameVerdictsAsync(string what, IReadOnlyList<string> strings)
    {
        var node = await NodePostgresOracle.RunAsync(strings, Environment());
        var mismatches = new List<string>();
        for (var i = 0; i < strings.Count; i++)
        {
            var (connected, encrypted, detail) = await RunDbTlsAsync(strings[i]);
            var dbtls = connected ? $"connected (ssl={(encrypted == true ? "on" : "off")})" : $"refused: {detail}";
            output.WriteLine($"{Shown(strings[i])}\n  node-postgres {node[i]}\n  dbtls         {dbtls}");
            if (connected != node[i].Connected || (connected && encrypted != node[i].Encrypted))
            {
                mismatches.Add($"{Shown(strings[i])}: node-postgres {node[i]}, dbtls {dbtls}");
            }
        }

        output.WriteLine($"{what}: {strings.Count} rows compared");
        Assert.True(mismatches.Count == 0, $"{what}: {mismatches.Count} of {strings.Count} rows differ:\n{string.Join("\n", mismatches)}");
    }

    private string Substitute(string setting)
    {
        var certs = fixture.Certificates;
        return setting.Replace("ROOT+INTERMEDIATE", certs.RootAndIntermediatePath, StringComparison.Ordinal)
            .Replace("ROOT%2BINTERMEDIATE", certs.RootAndIntermediatePath.Replace("+", "%2B", StringComparison.Ordinal), StringComparison.Ordinal)
            .Replace("WRONGROOT", certs.WrongRootPath, StringComparison.Ordinal)
            .Replace("MISSING", Path.Combine(_home, "missing.crt"), StringComparison.Ordinal)
            .Replace("ROOT", certs.RootPath, StringComparison.Ordinal);
    }

    private string ConnectionString(string host, string user, string? password, string query) =>
        $"postgres://{user}{(password is null ? "" : ":" + password)}@{host}:{fixture.Server.Port}/{PostgresUsers.Database}{(query.Length > 0 ? "?" + query : "")}";

    private Dictionary<string, string> Environment() => new() { ["HOME"] = _home, ["USER"] = "root" };

    private async Task<(bool Connected, bool? Encrypted, string Detail)> RunDbTlsAsync(string connectionString)
    {
        var report = await Check(connectionString);
        var connected = report.Login?.Succeeded == true;
        var detail = string.Join("; ", report.Findings.Where(f => f.Severity == "error").Select(f => $"{f.Code}: {f.Message}"));
        return (connected, connected ? report.Server?.Ssl : null, detail);
    }

    private Task<CheckReport> Check(string connectionString) =>
        DialectRegistry.Default.Find("node-postgres")!.CheckAsync(
            connectionString,
            new CheckEnvironment(Environment()) { OsUserName = "root" },
            new CheckOptions { Timeout = TimeSpan.FromSeconds(20) },
            CancellationToken.None);

    private static string Shown(string connectionString) => connectionString.Replace(PostgresUsers.ScramPassword, "***", StringComparison.Ordinal);
}

using DbTls.Tests.Dialects.NodePostgres;
using DbTls.Tests.EndToEnd.Npgsql;
using DbTls.Tests.Oracles.Pgjdbc;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.Explain;

/// <summary>
/// The real PostgreSQL drivers of this machine, each given a batch of strings in its own dialect: psql (Debian's libpq 15),
/// Npgsql 10 (in process), pgjdbc (one JVM per batch) and node-postgres (one Node process per batch); psql and Npgsql
/// three at a time. Each runs with the
/// same environment the dbtls checks get: an empty HOME and the password in PGPASSWORD for drivers that read it.
/// </summary>
internal static class PostgresPeerDrivers
{
    public const string Query = "select ssl from pg_stat_ssl where pid = pg_backend_pid()";

    /// <summary>The target dialects with a real driver here.</summary>
    public static readonly string[] Dialects = ["libpq", "npgsql", "pgjdbc", "node-postgres"];

    /// <summary>The password as the dialect's string wants it in place of the placeholder (pgjdbc: URL-encoded).</summary>
    public static string EscapedPassword(string dialect, string password) =>
        dialect == "pgjdbc" ? Uri.EscapeDataString(password) : password;

    public static async Task<IReadOnlyList<PeerVerdict>> RunAsync(string dialect, IReadOnlyList<string> strings, IReadOnlyDictionary<string, string> environment)
    {
        if (strings.Count == 0)
        {
            return [];
        }

        return dialect switch
        {
            "libpq" => await PsqlAsync(strings, environment),
            "npgsql" => await Throttle.AllAsync(strings, 3, NpgsqlAsync),
            "pgjdbc" => [.. (await PgjdbcOracle.RunAsync(strings, environment["HOME"])).Select(v => new PeerVerdict(v.Connected, v.Encrypted, v.Detail))],
            "node-postgres" => [.. (await NodePostgresOracle.RunAsync(strings, environment)).Select(v => new PeerVerdict(v.Connected, v.Encrypted, v.Detail))],
            _ => throw new ArgumentException($"no real driver for {dialect} here", nameof(dialect)),
        };
    }

    /// <summary>Whether every driver of the matrix is installed (scripts/setup.sh and scripts/apt-packages.txt install them).</summary>
    public static void AssertInstalled()
    {
        Assert.True(File.Exists(PostgresBinaries.Psql), $"{PostgresBinaries.Psql} is needed");
        Assert.True(PgjdbcOracle.Available, "java and /usr/share/java/postgresql.jar are needed");
        Assert.True(NodePostgresOracle.Available, "node and tools/node-pg/node_modules/pg are needed");
    }

    /// <summary>A few psql processes at a time: each is short, but the machine is small and shared.</summary>
    private static Task<PeerVerdict[]> PsqlAsync(IReadOnlyList<string> conninfos, IReadOnlyDictionary<string, string> environment) =>
        Throttle.AllAsync(conninfos, 3, async conninfo =>
        {
            var result = await PsqlRunner.RunAsync(conninfo, new PsqlOptions { Sql = Query, Environment = environment, HomeDirectory = environment["HOME"] });
            return result.Succeeded
                ? new PeerVerdict(true, result.Stdout.Trim() == "t", "")
                : new PeerVerdict(false, null, result.Stderr.ReplaceLineEndings(" ").Trim());
        });

    private static async Task<PeerVerdict> NpgsqlAsync(string connectionString)
    {
        var outcome = await NpgsqlOracle.RunNpgsqlAsync(connectionString);
        return new PeerVerdict(outcome.Connected, outcome.Encrypted, $"[{outcome.FailureClass}] {outcome.Detail}");
    }
}

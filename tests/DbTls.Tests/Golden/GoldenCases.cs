using DbTls.Tests.Checks.Tds;
using DbTls.Tests.Cli;
using DbTls.Tests.Servers.Mongo;
using DbTls.Tests.Servers.Postgres;
using DbTls.Tests.Servers.PostgresHostile;
using DbTls.Tests.Servers.Tds;
using static DbTls.Tests.Checks.Mongo.MongoCheckHarness;
using static DbTls.Tests.Servers.PostgresHostile.BackendWriter;

namespace DbTls.Tests.Golden;

/// <summary>One run of <c>dbtls check ... --format json</c> and the values of that run a golden file must not depend on.</summary>
internal sealed record GoldenRun(CliResult Result, IReadOnlyList<Volatile> Volatiles);

/// <summary>A named case: starts what it needs, runs the command line in process, stops what it started.</summary>
internal sealed record GoldenCase(string Name, Func<GoldenFixture, Task<GoldenRun>> RunAsync)
{
    public override string ToString() => Name;
}

/// <summary>
/// The fixed set of cases whose JSON reports must stay identical across refactorings: PostgreSQL 15 and 18
/// verify-full accepted and rejected, each SQL Server dialect against the TDS test server, MongoDB with
/// SCRAM, and hostile PostgreSQL, TDS and MongoDB servers.
/// </summary>
internal static class GoldenCases
{
    /// <summary>
    /// Short enough that the silent servers cost little, long enough that on a loaded machine the steps
    /// before the silence (the MongoDB case's TLS handshake) still finish, so the report names the same phase.
    /// </summary>
    private const string SilentTimeout = "5";
    private const string Timeout = "15";

    public static IReadOnlyList<GoldenCase> All { get; } =
    [
        Postgres("pg15-verify-full-ok", PostgresVersion.V15, f => $"host=localhost sslmode=verify-full sslrootcert={f.Pg.RootPath}"),
        Postgres("pg15-verify-full-untrusted-root", PostgresVersion.V15, f => $"host=localhost sslmode=verify-full sslrootcert={f.Pg.WrongRootPath}"),
        Postgres("pg18-verify-full-ok", PostgresVersion.V18, f => $"host=localhost sslmode=verify-full sslrootcert={f.Pg.RootPath}"),
        Postgres("pg18-verify-full-wrong-host", PostgresVersion.V18, f => $"host=db.wrong-name.test hostaddr=127.0.0.1 sslmode=verify-full sslrootcert={f.Pg.RootPath}"),

        Tds("sqlclient-mandatory-ok", DriverSetting.SqlClientMandatory, trusted: true),
        Tds("sqlclient-mandatory-untrusted", DriverSetting.SqlClientMandatory, trusted: false),
        Tds("jdbc-encrypt-true-ok", DriverSetting.JdbcTrue, trusted: true),
        Tds("jdbc-encrypt-true-untrusted", DriverSetting.JdbcTrue, trusted: false),
        Tds("freetds-require-ok", DriverSetting.FreeTdsRequire, trusted: true),
        Tds("freetds-require-untrusted", DriverSetting.FreeTdsRequire, trusted: false),

        Mongo("mongodb-scram-ok", MongoHostileMode.None, trusted: true, Timeout),
        Mongo("mongodb-untrusted", MongoHostileMode.None, trusted: false, Timeout),

        HostilePostgres("hostile-pg-silent", SilentTimeout, "require", async (c, ct) => await c.DrainUntilClosedAsync(ct)),
        HostilePostgres("hostile-pg-refuses-ssl", Timeout, "require", async (c, ct) =>
        {
            await c.ExpectSslRequestAsync(ct);
            await c.WriteAsync([(byte)'N']);
            await c.DrainUntilClosedAsync(ct);
        }),
        HostilePostgres("hostile-pg-truncated", Timeout, "prefer", async (c, ct) =>
        {
            await c.ExpectSslRequestAsync(ct);
            await c.WriteAsync([(byte)'N']);
            await c.ReadStartupAsync(ct);
            await c.WriteAsync([.. Raw('R', 8, []), 0, 0]);
            c.Close();
        }),
        HostilePostgres("hostile-pg-malformed", Timeout, "prefer", async (c, ct) =>
        {
            await c.ExpectSslRequestAsync(ct);
            await c.WriteAsync([(byte)'N']);
            await c.ReadStartupAsync(ct);
            await c.WriteAsync(Raw('R', 3, [0, 0, 0, 0]));
            await c.DrainUntilClosedAsync(ct);
        }),

        HostileTds("hostile-tds-silent", TdsServerMisbehavior.Silent, SilentTimeout),
        HostileTds("hostile-tds-truncated-prelogin", TdsServerMisbehavior.TruncatedPreLogin, Timeout),
        HostileTds("hostile-tds-malformed-prelogin", TdsServerMisbehavior.MalformedPreLogin, Timeout),

        Mongo("hostile-mongodb-silent", MongoHostileMode.Silent, trusted: true, SilentTimeout),
        Mongo("hostile-mongodb-truncated-reply", MongoHostileMode.TruncatedReply, trusted: true, Timeout),
        Mongo("hostile-mongodb-lying-bson-length", MongoHostileMode.LyingBsonLength, trusted: true, Timeout),
    ];

    public static GoldenCase Named(string name) => All.Single(c => c.Name == name);

    private static Volatile Port(int port) => new(port.ToString(System.Globalization.CultureInfo.InvariantCulture), "<port>", IsNumber: true);

    private static Task<CliResult> CheckAsync(string target, string timeout, IReadOnlyDictionary<string, string>? environment = null, params string[] extra) =>
        CliRun.RunAsync(["check", target, "--format", "json", "--timeout", timeout, .. extra], environment);

    /// <summary>The real server with its good certificate; the SCRAM user logs in whenever the handshake is accepted.</summary>
    private static GoldenCase Postgres(string name, PostgresVersion version, Func<GoldenFixture, string> connection) =>
        new(name, async fixture =>
        {
            var server = await fixture.PostgresAsync(version);
            await server.RestoreDefaultsAsync();
            var target = $"{connection(fixture)} port={server.Port} user={PostgresUsers.Scram} dbname={PostgresUsers.Database}";
            var result = await CheckAsync(target, Timeout, new Dictionary<string, string> { ["PGPASSWORD"] = PostgresUsers.ScramPassword });
            return new GoldenRun(result, [Port(server.Port), .. fixture.Directories]);
        });

    /// <summary>The TDS test server with the chain the targets trust, or with one from another root.</summary>
    private static GoldenCase Tds(string name, DriverSetting setting, bool trusted) =>
        new(name, async fixture =>
        {
            await using var server = TdsTestServer.Start((trusted ? fixture.Tds : fixture.OtherTds).ServerOptions());
            return await RunTdsAsync(fixture, server, setting, Timeout, trustServerCertificate: trusted);
        });

    private static GoldenCase HostileTds(string name, TdsServerMisbehavior misbehavior, string timeout) =>
        new(name, async fixture =>
        {
            await using var server = TdsTestServer.Start(fixture.Tds.ServerOptions(new() { Misbehavior = misbehavior }));
            return await RunTdsAsync(fixture, server, DriverSetting.SqlClientMandatory, timeout, trustServerCertificate: true);
        });

    /// <summary>
    /// SqlClient validates against the system store only, so an accepted SqlClient case says
    /// TrustServerCertificate=true and a rejected one does not; JDBC and FreeTDS trust the test root.
    /// </summary>
    private static async Task<GoldenRun> RunTdsAsync(GoldenFixture fixture, TdsTestServer server, DriverSetting setting, string timeout, bool trustServerCertificate)
    {
        var targets = fixture.TdsTargets;
        var freetds = TdsTargets.DialectOf(setting) == "freetds";
        var environment = new Dictionary<string, string> { ["HOME"] = targets.Directory, ["FREETDSCONF"] = targets.FreeTdsConfPath };
        if (freetds)
        {
            environment["DBTLS_PASSWORD"] = server.Options.Password;
        }

        string[] user = freetds ? ["--user", server.Options.User] : [];
        var result = await CheckAsync(targets.ConnectionString(server, setting, trustServerCertificate: trustServerCertificate), timeout, environment, user);
        return new GoldenRun(result, [Port(server.Port), .. fixture.Directories]);
    }

    private static GoldenCase Mongo(string name, MongoHostileMode hostile, bool trusted, string timeout) =>
        new(name, async fixture =>
        {
            await using var server = MongoTestServer.Start(new MongoTestServerOptions
            {
                Certificate = trusted ? fixture.Mongo.Base.Server.Certificate : fixture.Mongo.Untrusted.Certificate,
                Users = [Alice],
                Hostile = hostile,
            });
            var result = await CheckAsync(UriFor(server.Port, TlsOptions(fixture.Mongo)), timeout);
            return new GoldenRun(result, [Port(server.Port), .. fixture.Directories]);
        });

    private static GoldenCase HostilePostgres(string name, string timeout, string sslMode, Func<HostileConnection, CancellationToken, Task> script) =>
        new(name, async fixture =>
        {
            await using var server = HostilePostgresServer.Start(script);
            var target = $"host=127.0.0.1 port={server.Port} user=golden dbname=golden sslmode={sslMode}";
            var result = await CheckAsync(target, timeout, new Dictionary<string, string> { ["PGPASSWORD"] = "Golden-Pw-31" });
            return new GoldenRun(result, [Port(server.Port), .. fixture.Directories]);
        });
}

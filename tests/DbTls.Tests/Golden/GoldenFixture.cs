using DbTls.Tests.Checks.Mongo;
using DbTls.Tests.Checks.Tds;
using DbTls.Tests.Servers.Postgres;
using DbTls.Tests.Servers.Tds;

namespace DbTls.Tests.Golden;

/// <summary>
/// What the golden cases share: PostgreSQL 15 and 18 (started on first use, so a run of the SQL Server or
/// MongoDB cases alone starts no PostgreSQL), the TDS and MongoDB certificates, and the temp directories
/// every case's report may name.
/// </summary>
public sealed class GoldenFixture : IAsyncLifetime
{
    private readonly Lazy<Task<PostgresServer>> _pg15 = new(() => PostgresServer.StartAsync(PostgresVersion.V15, PgCertificateFixtures.Shared.Good.Material));
    private readonly Lazy<Task<PostgresServer>> _pg18 = new(() => PostgresServer.StartAsync(PostgresVersion.V18, PgCertificateFixtures.Shared.Good.Material));

    public GoldenFixture()
    {
        Tds = new TdsTestCertificates();
        OtherTds = TdsTestCertificates.Create("localhost");
        TdsTargets = new TdsTargets(Tds);
        Mongo = new MongoCheckCertificates();
    }

    public PgCertificateFixtures Pg => PgCertificateFixtures.Shared;

    public TdsTestCertificates Tds { get; }

    /// <summary>The same names as <see cref="Tds"/>, from a root no TDS target trusts.</summary>
    public TdsTestCertificates OtherTds { get; }

    public TdsTargets TdsTargets { get; }

    public MongoCheckCertificates Mongo { get; }

    public Task<PostgresServer> PostgresAsync(PostgresVersion version) =>
        version == PostgresVersion.V15 ? _pg15.Value : _pg18.Value;

    /// <summary>The directories the fixtures wrote to, as they may appear in a report, with their golden names.</summary>
    internal IReadOnlyList<Volatile> Directories =>
    [
        new(Pg.Directory, "<pg-certs>"),
        new(Tds.Directory, "<tds-certs>"),
        new(OtherTds.Directory, "<other-tds-certs>"),
        new(TdsTargets.Directory, "<tds-targets>"),
        new(Mongo.Base.Directory.FullName, "<mongo-certs>"),
        new(Uri.EscapeDataString(Mongo.Base.Directory.FullName), "<mongo-certs>"),

        // The rest of the temp directory (the empty HOME the command line runs with, for one) after the fixtures' own.
        new(Path.TrimEndingDirectorySeparator(Path.GetTempPath()), "<tmp>"),
    ];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { _pg15, _pg18 }.Where(l => l.IsValueCreated))
        {
            await (await server.Value).DisposeAsync();
        }

        TdsTargets.Dispose();
        OtherTds.Dispose();
        Tds.Dispose();
        Mongo.Dispose();
    }
}

namespace DbTls.Tests.Servers.Postgres;

/// <summary>
/// One PostgreSQL server shared by every test class of a collection, started with
/// <see cref="PgCertificateFixtures.Good"/>. Tests of one collection run one after another, so a test
/// that swaps certificates or settings may do so freely; each test should begin with
/// <see cref="PostgresServer.RestoreDefaultsAsync"/> (cheap when nothing changed) or set exactly
/// the state it needs.
/// </summary>
public abstract class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    protected PostgresFixture(PostgresVersion version)
    {
        Version = version;
    }

    public PostgresVersion Version { get; }

    public PgCertificateFixtures Certificates => PgCertificateFixtures.Shared;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture has not started");

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync(Version, Certificates.Good.Material).ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Debian's PostgreSQL 15, shared across the <see cref="Postgres15Collection"/>.</summary>
public sealed class Postgres15Fixture() : PostgresFixture(PostgresVersion.V15);

/// <summary>PostgreSQL 18 (tools/pg18), shared across the <see cref="Postgres18Collection"/>.</summary>
public sealed class Postgres18Fixture() : PostgresFixture(PostgresVersion.V18);

/// <summary>Put <c>[Collection(Postgres15Collection.Name)]</c> on a test class and take a <see cref="Postgres15Fixture"/> in its constructor.</summary>
[CollectionDefinition(Name)]
public sealed class Postgres15Collection : ICollectionFixture<Postgres15Fixture>
{
    public const string Name = "PostgreSQL 15";
}

/// <summary>Put <c>[Collection(Postgres18Collection.Name)]</c> on a test class and take a <see cref="Postgres18Fixture"/> in its constructor.</summary>
[CollectionDefinition(Name)]
public sealed class Postgres18Collection : ICollectionFixture<Postgres18Fixture>
{
    public const string Name = "PostgreSQL 18";
}

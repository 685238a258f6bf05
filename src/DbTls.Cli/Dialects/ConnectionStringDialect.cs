namespace DbTls.Cli.Dialects;

/// <summary>The driver family a connection string is written for; each has its own syntax and TLS semantics.</summary>
internal enum ConnectionStringDialect
{
    /// <summary>Nothing dbtls recognises.</summary>
    Unknown,

    /// <summary>libpq keyword/value conninfo or a <c>postgresql://</c> URI.</summary>
    Libpq,

    /// <summary>Npgsql's <c>Host=...;Database=...</c> strings (recognised to say so, not run).</summary>
    Npgsql,

    /// <summary>Microsoft.Data.SqlClient / System.Data.SqlClient <c>Server=...;</c> strings.</summary>
    SqlClient,

    /// <summary>Microsoft JDBC Driver for SQL Server URLs (<c>jdbc:sqlserver://</c>).</summary>
    Jdbc,

    /// <summary>A FreeTDS server name from freetds.conf (<c>freetds:&lt;name&gt;</c>).</summary>
    FreeTds,

    /// <summary>MongoDB connection strings (<c>mongodb://</c>, <c>mongodb+srv://</c>).</summary>
    MongoDb,
}

internal static class ConnectionStringDialectNames
{
    /// <summary>The name used in the report's <c>target.dialect</c> field.</summary>
    public static string ToReportName(this ConnectionStringDialect dialect) => dialect switch
    {
        ConnectionStringDialect.Libpq => "libpq",
        ConnectionStringDialect.Npgsql => "npgsql",
        ConnectionStringDialect.SqlClient => "sqlclient",
        ConnectionStringDialect.Jdbc => "jdbc",
        ConnectionStringDialect.FreeTds => "freetds",
        ConnectionStringDialect.MongoDb => "mongodb",
        _ => "unknown",
    };
}

namespace DbTls.Explain;

/// <summary>How the explanation names the driver behind a dialect.</summary>
internal static class DriverNames
{
    public static string Of(string dialect) => dialect switch
    {
        "libpq" => "libpq",
        "sqlclient" => "SqlClient",
        "jdbc" => "the JDBC driver",
        "freetds" => "FreeTDS",
        "mongodb" => "PyMongo",
        "npgsql" => "Npgsql",
        "pgjdbc" => "pgjdbc",
        "odbc" => "the ODBC driver",
        "pymongo" => "PyMongo",
        _ => dialect,
    };
}

using DbTls.Cli.Dialects;

namespace DbTls.Tests.Cli;

public class DialectDetectorTests
{
    [Theory]
    [InlineData("postgresql://alice@db.example.com/app?sslmode=verify-full", nameof(ConnectionStringDialect.Libpq))]
    [InlineData("postgres://db.example.com", nameof(ConnectionStringDialect.Libpq))]
    [InlineData("  POSTGRESQL://db", nameof(ConnectionStringDialect.Libpq))]
    [InlineData("host=db.example.com sslmode=verify-full", nameof(ConnectionStringDialect.Libpq))]
    [InlineData("host = db.example.com dbname = app", nameof(ConnectionStringDialect.Libpq))]
    [InlineData("dbname=app", nameof(ConnectionStringDialect.Libpq))]
    [InlineData("sslmode=require", nameof(ConnectionStringDialect.Libpq))]
    [InlineData("user=alice password=se;cret host=db", nameof(ConnectionStringDialect.Libpq))]
    [InlineData("password='a b;c' host=db", nameof(ConnectionStringDialect.Libpq))]
    [InlineData("host=db options='-c search_path=a;b'", nameof(ConnectionStringDialect.Libpq))]
    [InlineData("nosuchkeyword=1", nameof(ConnectionStringDialect.Libpq))]
    [InlineData("", nameof(ConnectionStringDialect.Libpq))]
    [InlineData("Server=tcp:db.example.com,1433;Database=app;Encrypt=true", nameof(ConnectionStringDialect.SqlClient))]
    [InlineData("Data Source=db;Initial Catalog=app;Integrated Security=true", nameof(ConnectionStringDialect.SqlClient))]
    [InlineData("server=db", nameof(ConnectionStringDialect.SqlClient))]
    [InlineData("User ID=sa;Password=x;Server=db", nameof(ConnectionStringDialect.SqlClient))]
    [InlineData("user=sa;password=x;server=db", nameof(ConnectionStringDialect.SqlClient))]
    [InlineData("Encrypt=Strict;Server=db", nameof(ConnectionStringDialect.SqlClient))]
    [InlineData("jdbc:sqlserver://db.example.com:1433;encrypt=true", nameof(ConnectionStringDialect.Jdbc))]
    [InlineData("JDBC:SQLSERVER://db", nameof(ConnectionStringDialect.Jdbc))]
    [InlineData("mongodb://db.example.com/?tls=true", nameof(ConnectionStringDialect.MongoDb))]
    [InlineData("mongodb+srv://cluster.example.com/", nameof(ConnectionStringDialect.MongoDb))]
    [InlineData("freetds:production", nameof(ConnectionStringDialect.FreeTds))]
    [InlineData("Host=db;Database=app;Username=alice", nameof(ConnectionStringDialect.Npgsql))]
    [InlineData("host=db;port=5432;database=app", nameof(ConnectionStringDialect.Npgsql))]
    [InlineData("Username=alice;Host=db", nameof(ConnectionStringDialect.Npgsql))]
    [InlineData("just some words", nameof(ConnectionStringDialect.Unknown))]
    [InlineData("Foo=1;Bar=2", nameof(ConnectionStringDialect.Unknown))]
    [InlineData("mysql://db", nameof(ConnectionStringDialect.Unknown))]
    [InlineData("=value", nameof(ConnectionStringDialect.Unknown))]
    public void Detects(string connectionString, string expected) =>
        Assert.Equal(Enum.Parse<ConnectionStringDialect>(expected), DialectDetector.Detect(connectionString));

    [Theory]
    [InlineData(nameof(ConnectionStringDialect.Libpq), "libpq")]
    [InlineData(nameof(ConnectionStringDialect.SqlClient), "sqlclient")]
    [InlineData(nameof(ConnectionStringDialect.Jdbc), "jdbc")]
    [InlineData(nameof(ConnectionStringDialect.FreeTds), "freetds")]
    [InlineData(nameof(ConnectionStringDialect.MongoDb), "mongodb")]
    [InlineData(nameof(ConnectionStringDialect.Unknown), "unknown")]
    public void Report_names(string dialect, string name) => Assert.Equal(name, Enum.Parse<ConnectionStringDialect>(dialect).ToReportName());
}

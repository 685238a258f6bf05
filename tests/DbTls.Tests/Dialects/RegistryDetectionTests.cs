using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Reports;

namespace DbTls.Tests.Dialects;

/// <summary>The library tells which driver a string is written for, from each dialect's own keyword table.</summary>
public class RegistryDetectionTests
{
    [Theory]
    [InlineData("postgresql://alice@db.example.com/app?sslmode=verify-full", "libpq")]
    [InlineData("postgres://db.example.com", "libpq")]
    [InlineData("  POSTGRESQL://db", "libpq")]
    [InlineData("host=db.example.com sslmode=verify-full", "libpq")]
    [InlineData("host = db.example.com dbname = app", "libpq")]
    [InlineData("dbname=app", "libpq")]
    [InlineData("sslmode=require", "libpq")]
    [InlineData("user=alice password=se;cret host=db", "libpq")]
    [InlineData("password='a b;c' host=db", "libpq")]
    [InlineData("host=db options='-c search_path=a;b'", "libpq")]
    [InlineData("nosuchkeyword=1", "libpq")]
    [InlineData("", "libpq")]
    [InlineData("Server=tcp:db.example.com,1433;Database=app;Encrypt=true", "sqlclient")]
    [InlineData("Data Source=db;Initial Catalog=app;Integrated Security=true", "sqlclient")]
    [InlineData("server=db", "sqlclient")]
    [InlineData("User ID=sa;Password=x;Server=db", "sqlclient")]
    [InlineData("user=sa;password=x;server=db", "sqlclient")]
    [InlineData("Encrypt=Strict;Server=db", "sqlclient")]
    [InlineData("Trusted_Connection=yes;Server=db", "sqlclient")]
    [InlineData("jdbc:sqlserver://db.example.com:1433;encrypt=true", "jdbc")]
    [InlineData("JDBC:SQLSERVER://db", "jdbc")]
    [InlineData("mongodb://db.example.com/?tls=true", "mongodb")]
    [InlineData("mongodb+srv://cluster.example.com/", "mongodb")]
    [InlineData("freetds:production", "freetds")]
    [InlineData("Host=db;Database=app;Username=alice", "npgsql")]
    [InlineData("host=db;port=5432;database=app", "npgsql")]
    [InlineData("Username=alice;Host=db", "npgsql")]
    [InlineData("just some words", "unknown")]
    [InlineData("Foo=1;Bar=2", "unknown")]
    [InlineData("mysql://db", "unknown")]
    [InlineData("=value", "unknown")]
    public void Detects(string connectionString, string expected) =>
        Assert.Equal(expected, DialectRegistry.Default.Detect(connectionString).Name);

    [Fact]
    public void Every_dialect_is_registered_once_by_name() =>
        Assert.Equal(
            ["libpq", "npgsql", "sqlclient", "jdbc", "freetds", "mongodb", "pgjdbc", "pymongo", "odbc", "node-postgres"],
            DialectRegistry.Default.Dialects.Select(d => d.Name));

    [Fact]
    public async Task A_library_user_checks_a_string_without_the_cli()
    {
        // Nothing listens on port 1: the façade still returns a report, judged by the shared rule.
        var report = await ConnectionCheck.RunAsync(
            "host=127.0.0.1 port=1 password=Lib-Pa55 sslmode=require connect_timeout=2",
            new CheckEnvironment(new Dictionary<string, string>()),
            new CheckOptions());

        Assert.Equal("libpq", report.Target.Dialect);
        Assert.Equal(Verdicts.Failed, report.Verdict);
        Assert.Equal(ExitCodes.Network, report.ExitCode);
        Assert.Equal("host=127.0.0.1 port=1 password=******** sslmode=require connect_timeout=2", report.Target.ConnectionString);
        Assert.DoesNotContain("Lib-Pa55", ReportJson.Serialize(report), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unrecognised_string_is_invalid_input_and_the_remedy_names_every_format()
    {
        var report = await ConnectionCheck.RunAsync("Foo=1;Bar=2", new CheckEnvironment(new Dictionary<string, string>()), new CheckOptions());

        Assert.Equal(ExitCodes.InvalidInput, report.ExitCode);
        var remedy = report.Findings.Single().Remedy;
        foreach (var format in new[] { "host=", "postgresql://", "Server=", "jdbc:sqlserver://", "freetds:", "mongodb://", "mongodb+srv://" })
        {
            Assert.Contains(format, remedy, StringComparison.Ordinal);
        }
    }
}

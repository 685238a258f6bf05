using DbTls.Dialects;
using DbTls.Policy;
using DbTls.Tests.Explain;

namespace DbTls.Tests.Dialects;

/// <summary>
/// Every dialect writes the user's own string with its driver's fully verifying setting: only the values that relax
/// verification change, where they stand, the masked secret stays masked, and the dialect's own parser reads the result
/// as full verification (chain and host name) where it read the original as less.
/// </summary>
public sealed class StricterCorrectedStringTests : IDisposable
{
    private const string Root = "/etc/ssl/certs/ca-certificates.crt";
    private readonly ExplainFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    public static TheoryData<string, string, string> Cases => new()
    {
        { "libpq", $"host=db.example.com user=app password=******** sslmode=require sslrootcert={Root}", $"host=db.example.com user=app password=******** sslmode=verify-full sslrootcert={Root}" },
        { "npgsql", $"Host=db.example.com;Password=********;SSL Mode=Require;Root Certificate={Root}", $"Host=db.example.com;Password=********;SSL Mode=VerifyFull;Root Certificate={Root}" },
        { "npgsql", $"Host=db.example.com;Root Certificate={Root};sslmode=VerifyCA", $"Host=db.example.com;Root Certificate={Root};sslmode=VerifyFull" },
        { "pgjdbc", $"jdbc:postgresql://db.example.com/app?sslmode=require&sslfactory=org.postgresql.ssl.NonValidatingFactory&sslrootcert={Root}", $"jdbc:postgresql://db.example.com/app?sslmode=verify-full&sslfactory=org.postgresql.ssl.LibPQFactory&sslrootcert={Root}" },
        { "pgjdbc", $"jdbc:postgresql://db.example.com/app?sslfactory=org.postgresql.ssl.NonValidatingFactory&sslrootcert={Root}", $"jdbc:postgresql://db.example.com/app?sslfactory=org.postgresql.ssl.LibPQFactory&sslrootcert={Root}&sslmode=verify-full" },
        { "node-postgres", $"postgres://app:********@db.example.com/app?sslmode=no-verify&sslrootcert={Root}", $"postgres://app:********@db.example.com/app?sslmode=verify-full&sslrootcert={Root}" },
        { "sqlclient", "Server=db.example.com;User ID=sa;Password=********;Encrypt=Optional;TrustServerCertificate=True", "Server=db.example.com;User ID=sa;Password=********;Encrypt=True;TrustServerCertificate=False" },
        { "sqlclient", "server=db.example.com;TRUST SERVER CERTIFICATE=yes;encrypt=mandatory", "server=db.example.com;TRUST SERVER CERTIFICATE=False;encrypt=mandatory" },
        { "jdbc", "jdbc:sqlserver://db.example.com:1433;encrypt=true;TrustServerCertificate=true;user=sa;password=********", "jdbc:sqlserver://db.example.com:1433;encrypt=true;TrustServerCertificate=false;user=sa;password=********" },
        { "jdbc", "jdbc:sqlserver://db.example.com:1433;encrypt=false;trustServerCertificate=true", "jdbc:sqlserver://db.example.com:1433;encrypt=true;trustServerCertificate=false" },
        { "jdbc", "jdbc:sqlserver://db.example.com:1433;trustservercertificate=TRUE", "jdbc:sqlserver://db.example.com:1433;trustservercertificate=false" },
        { "odbc", "Driver={ODBC Driver 18 for SQL Server};Server=tcp:db.example.com,1433;Encrypt=no;TrustServerCertificate=yes;PWD=********", "Driver={ODBC Driver 18 for SQL Server};Server=tcp:db.example.com,1433;Encrypt=yes;TrustServerCertificate=no;PWD=********" },
        { "mongodb", "mongodb://app:********@db.example.com/?tls=true&TLSINSECURE=true&appName=x", "mongodb://app:********@db.example.com/?tls=true&appName=x" },
        { "mongodb", "mongodb://db.example.com/?tls=true&tlsAllowInvalidCertificates=true&tlsAllowInvalidHostnames=true", "mongodb://db.example.com/?tls=true" },
        { "pymongo", "mongodb://db.example.com/?tls=true&tlsAllowInvalidHostnames=true&tlsCAFile=" + Root, "mongodb://db.example.com/?tls=true&tlsCAFile=" + Root },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_corrected_string_changes_only_what_relaxes_verification(string dialect, string original, string expected)
    {
        var stricter = (IStricterVerification)DialectRegistry.Default.Find(dialect)!;
        var corrected = stricter.Stricter(original).Corrected;

        Assert.Equal(expected, corrected);
        var describer = (IDescribableDialect)DialectRegistry.Default.Find(dialect)!;
        var environment = new CheckEnvironment(_fx.Variables) { OsUserName = "tester" };
        Assert.NotEqual(VerificationLevel.ChainAndHostName, describer.Describe(original, environment).Tls.Verification);
        Assert.Equal(VerificationLevel.ChainAndHostName, describer.Describe(corrected!, environment).Tls.Verification);
    }

    [Theory]
    [InlineData("sqlclient", "Server=db;Encrypt='unterminated")]
    [InlineData("jdbc", "jdbc:sqlserver://db;encrypt={unterminated")]
    [InlineData("pgjdbc", "jdbc:mysql://db/app")]
    [InlineData("mongodb", "postgres://db")]
    public void A_string_that_does_not_parse_gets_the_advice_without_a_string(string dialect, string text)
    {
        var advice = ((IStricterVerification)DialectRegistry.Default.Find(dialect)!).Stricter(text);

        Assert.Null(advice.Corrected);
        Assert.Equal(advice.Fix, advice.Remedy);
    }

    [Fact]
    public void FreeTds_names_the_section_settings_since_the_target_holds_none() =>
        Assert.Contains("check certificate hostname = yes", ((IStricterVerification)DialectRegistry.Default.Find("freetds")!).Stricter("freetds:srv").Remedy, StringComparison.Ordinal);

    [Fact]
    public void Every_dialect_that_checks_says_its_stricter_setting() =>
        Assert.All(DialectRegistry.Default.Dialects, d => Assert.IsAssignableFrom<IStricterVerification>(d));
}

using DbTls.Cli.Dialects;
using DbTls.Cli.Security;

namespace DbTls.Tests.Cli;

public class ConnectionStringRedactorTests
{
    [Theory]
    [InlineData(nameof(ConnectionStringDialect.Libpq), "host=db password=s3cret sslmode=require", "host=db password=******** sslmode=require", "s3cret")]
    [InlineData(nameof(ConnectionStringDialect.Libpq), "host=db password = 'se cr\\'et' user=a", "host=db password = ******** user=a", "se cr'et")]
    [InlineData(nameof(ConnectionStringDialect.Libpq), "sslpassword=keypass sslkey=/k", "sslpassword=******** sslkey=/k", "keypass")]
    [InlineData(nameof(ConnectionStringDialect.Libpq), "postgresql://alice:p%40ss@db:5432/app?sslmode=require", "postgresql://alice:********@db:5432/app?sslmode=require", "p@ss")]
    [InlineData(nameof(ConnectionStringDialect.Libpq), "postgresql://db/app?user=a&password=qs3cret&sslmode=require", "postgresql://db/app?user=a&password=********&sslmode=require", "qs3cret")]
    [InlineData(nameof(ConnectionStringDialect.SqlClient), "Server=db;Password=\"a;b\"\"c\";Encrypt=true", "Server=db;Password=********;Encrypt=true", "a;b\"c")]
    [InlineData(nameof(ConnectionStringDialect.SqlClient), "Server=db;PWD=plain;", "Server=db;PWD=********;", "plain")]
    [InlineData(nameof(ConnectionStringDialect.Jdbc), "jdbc:sqlserver://db:1433;user=sa;password={p;w}}};encrypt=true;trustStorePassword=tsp", "jdbc:sqlserver://db:1433;user=sa;password=********;encrypt=true;trustStorePassword=********", "p;w}")]
    [InlineData(nameof(ConnectionStringDialect.MongoDb), "mongodb://u:mpw@h1,h2/db?tls=true&tlsCertificateKeyFilePassword=kp", "mongodb://u:********@h1,h2/db?tls=true&tlsCertificateKeyFilePassword=********", "mpw")]
    [InlineData(nameof(ConnectionStringDialect.Npgsql), "Host=db;Password=np", "Host=db;Password=********", "np")]
    public void Masks_secrets_and_reports_them(string dialectName, string input, string expected, string secret)
    {
        var dialect = Enum.Parse<ConnectionStringDialect>(dialectName);
        var result = ConnectionStringRedactor.Redact(input, dialect);

        Assert.Equal(expected, result.Text);
        Assert.Contains(secret, result.Secrets);
    }

    [Fact]
    public void Unknown_formats_are_not_shown_at_all()
    {
        var result = ConnectionStringRedactor.Redact("whatever secret=1 thing", ConnectionStringDialect.Unknown);

        Assert.DoesNotContain("secret", result.Text);
    }

    [Theory]
    [InlineData("host=db user=a", nameof(ConnectionStringDialect.Libpq))]
    [InlineData("postgresql://alice@db/app", nameof(ConnectionStringDialect.Libpq))]
    [InlineData("Server=db;User ID=sa", nameof(ConnectionStringDialect.SqlClient))]
    public void Strings_without_secrets_are_unchanged(string input, string dialectName)
    {
        var dialect = Enum.Parse<ConnectionStringDialect>(dialectName);
        var result = ConnectionStringRedactor.Redact(input, dialect);

        Assert.Equal(input, result.Text);
        Assert.Empty(result.Secrets);
    }

    [Fact]
    public void Scrubber_masks_known_secrets_longest_first_and_ignores_very_short_ones()
    {
        var scrubber = new SecretScrubber();
        scrubber.Add("abcd");
        scrubber.Add("abcdefgh");
        scrubber.Add("xy");

        Assert.Equal("******** ******** xy", scrubber.Scrub("abcdefgh abcd xy"));
    }
}

using DbTls.Dialects;

namespace DbTls.Tests.Dialects;

/// <summary>Each dialect masks its secrets by parsing its own syntax, also for strings its parser then refuses.</summary>
public class RegistryRedactionTests
{
    [Theory]
    [InlineData("host=db password=s3cret sslmode=require", "host=db password=******** sslmode=require")]
    [InlineData("host=db password = 'se cr\\'et' user=a", "host=db password = ******** user=a")]
    [InlineData("sslpassword=keypass sslkey=/k", "sslpassword=******** sslkey=/k")]
    [InlineData("postgresql://alice:p%40ss@db:5432/app?sslmode=require", "postgresql://alice:********@db:5432/app?sslmode=require")]
    [InlineData("postgresql://db/app?user=a&password=qs3cret&sslmode=require", "postgresql://db/app?user=a&password=********&sslmode=require")]
    [InlineData("Server=db;Password=\"a;b\"\"c\";Encrypt=true", "Server=db;Password=********;Encrypt=true")]
    [InlineData("Server=db;PWD=plain;", "Server=db;PWD=********;")]
    [InlineData("Server=db;Password=a;b=c;Encrypt=true", "Server=db;Password=********;Encrypt=true")]
    [InlineData("Server=db;Pwd=\"hidden\";No Such Keyword=1", "Server=db;Pwd=********;No Such Keyword=1")]
    [InlineData("jdbc:sqlserver://db:1433;user=sa;password={p;w}}};encrypt=true;trustStorePassword=tsp", "jdbc:sqlserver://db:1433;user=sa;password=********;encrypt=true;trustStorePassword=********")]
    [InlineData("mongodb://u:mpw@h1,h2/db?tls=true&tlsCertificateKeyFilePassword=kp", "mongodb://u:********@h1,h2/db?tls=true&tlsCertificateKeyFilePassword=********")]
    [InlineData("mongodb://u:Fz-Secret-91@127.0.0.1:1/?tls=false", "mongodb://u:********@127.0.0.1:1/?tls=false")]
    [InlineData("mongodb://h/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:tok3n,SERVICE_NAME:x", "mongodb://h/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:********,SERVICE_NAME:x")]
    [InlineData("mongodb://u:a@b@h/?tls=true", "mongodb://u:********@h/?tls=true")]
    [InlineData("Host=db;Password=np", "Host=db;Password=********")]
    [InlineData("freetds:production", "freetds:production")]
    [InlineData("host=db user=a", "host=db user=a")]
    [InlineData("Server=db;User ID=sa", "Server=db;User ID=sa")]
    public void Masks_exactly_the_secret_values(string input, string expected) =>
        Assert.Equal(expected, DialectRegistry.Default.Detect(input).Redact(input));

    [Fact]
    public void Unknown_formats_are_not_shown_at_all() =>
        Assert.DoesNotContain("secret", DialectRegistry.Default.Detect("Foo=secret;Bar=2").Redact("Foo=secret;Bar=2"), StringComparison.Ordinal);

    [Theory]
    [InlineData("Server=db;Password='unterminated")]
    [InlineData("jdbc:sqlserver://db;password={unterminated")]
    public void Strings_that_do_not_split_are_hidden_when_they_may_hold_a_secret(string input)
    {
        var shown = DialectRegistry.Default.Detect(input).Redact(input);

        Assert.DoesNotContain("unterminated", shown, StringComparison.Ordinal);
    }
}

using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;

namespace DbTls.Tests.Dialects.Libpq;

/// <summary>No secret may appear in anything the parser produces, successful or not.</summary>
public sealed class RedactionTests : IDisposable
{
    private const string Secret = "S3cr3tPa55";
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData("host=h password=S3cr3tPa55", "host=h password=********")]
    [InlineData("host=h password = 'S3cr3tPa55 with space'", "host=h password = ********")]
    [InlineData(@"host=h password='S3cr3tPa55\'q'", "host=h password=********")]
    [InlineData("host=h sslpassword=S3cr3tPa55 sslmode=require", "host=h sslpassword=******** sslmode=require")]
    [InlineData("host=h oauth_client_secret=S3cr3tPa55", "host=h oauth_client_secret=********")]
    [InlineData("postgresql://alice:S3cr3tPa55@h/db", "postgresql://alice:********@h/db")]
    [InlineData("postgresql://alice:S3cr3t%50a55@h/db", "postgresql://alice:********@h/db")]
    [InlineData("postgresql://h/db?password=S3cr3tPa55&sslmode=require", "postgresql://h/db?password=********&sslmode=require")]
    [InlineData("postgresql://h/db?pass%77ord=S3cr3tPa55", "postgresql://h/db?pass%77ord=********")]
    [InlineData("postgresql://h/db?sslmode=require&sslpassword=S3cr3tPa55", "postgresql://h/db?sslmode=require&sslpassword=********")]
    public void Secrets_are_masked_everywhere_in_the_spec(string connectionString, string redacted)
    {
        var spec = _home.Parse(connectionString);

        Assert.Equal(redacted, spec.RedactedConnectionString);
        AssertNoSecret(spec);
    }

    [Fact]
    public void A_password_from_the_environment_or_the_password_file_is_never_shown()
    {
        AssertNoSecret(_home.Parse("host=h", ("PGPASSWORD", Secret)));

        _home.Write(".pgpass", $"*:*:*:*:{Secret}");
        var spec = _home.Parse("host=h");
        Assert.Equal(Secret, spec.Password!.Reveal());
        AssertNoSecret(spec);
    }

    [Fact]
    public void A_password_from_a_service_file_is_never_shown()
    {
        _home.Write(".pg_service.conf", $"[svc]\nhost=h\npassword={Secret}\n");
        var spec = _home.Parse("service=svc");
        Assert.Equal(Secret, spec.Password!.Reveal());
        AssertNoSecret(spec);
    }

    [Theory]
    [InlineData("host=h password=S3cr3t Pa55")]
    [InlineData("host=h password=S3cr3t Pa55=x")]
    [InlineData("host=h password='S3cr3tPa55")]
    [InlineData("postgresql://alice:S3cr3tPa55%zz@h/db")]
    [InlineData("postgresql://alice:S3cr3tPa55%00@h/db")]
    [InlineData("postgresql://alice:S3cr3tPa55@[::1")]
    [InlineData("postgresql://alice:S3cr3tPa55@[]/db")]
    [InlineData("postgresql://alice:S3cr3tPa55@[::1]x/db")]
    [InlineData("postgresql://h/db?password=S3cr3tPa55%zz")]
    [InlineData("postgresql://h/db?password=S3cr3t Pa55")]
    [InlineData("postgresql://h/db?password=S3cr3tPa55=x")]
    [InlineData("postgresql://[::1]x/db?sslmode=require&password=S3cr3tPa55")]
    [InlineData("postgresql://alice:S3cr3tPa55@h1,h2/db")]
    [InlineData("host=h password=S3cr3tPa55 sslmode=bogus")]
    [InlineData("postgresql://alice:S3cr3t@Pa55@h/db")]
    [InlineData("postgresql://alice:S3cr3t/Pa55@h/db")]
    [InlineData("postgresql://alice:S3cr3t%zz/Pa55@h/db")]
    [InlineData("postgresql://alice:S3cr3t/Pa55@[::1]/db")]
    [InlineData("postgresql://h/db?password=S3cr3t&Pa55")]
    [InlineData("postgresql://h/db?password=S3cr3t&Pa55=x=y")]
    [InlineData("postgresql://h/db?password=S3cr3t&Pa55=x")]
    public void Errors_never_contain_the_secret(string connectionString)
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse(connectionString));
        Assert.DoesNotContain("S3cr3t", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Pa55", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cr3t", ex.Remedy ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain("S3cr3t", ex.ToFinding().ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host=h password=S3cr3tPa55", "host=h password=********")]
    [InlineData("postgresql://alice:S3cr3tPa55@[::1", "postgresql://alice:********@[::1")]
    [InlineData("postgresql://h/db?a&password=S3cr3tPa55", "postgresql://h/db?a&password=********")]
    [InlineData("postgresql://alice:S3cr3t/Pa55@h/db", "postgresql://alice:********@h/db")]
    [InlineData("postgresql://alice:S3cr3t@Pa55@h/db?x", "postgresql://alice:********@h/db?x")]
    [InlineData("postgresql://alice:S3cr3t?Pa55@[::1", "postgresql://alice:********@[::1")]
    [InlineData("host=h password='S3cr3tPa55", "(not shown: the connection string does not parse and may contain a secret)")]
    [InlineData("host=h port", "host=h port")]
    public void Redact_is_safe_for_strings_that_do_not_parse(string connectionString, string expected)
    {
        Assert.Equal(expected, LibpqConnectionString.Redact(connectionString));
    }

    private static void AssertNoSecret(PostgresConnectionSpec spec)
    {
        Assert.DoesNotContain(Secret, spec.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("S3cr3t", spec.RedactedConnectionString, StringComparison.Ordinal);
        Assert.All(spec.Sources, s => Assert.DoesNotContain("S3cr3t", s, StringComparison.Ordinal));
        Assert.All(spec.Findings, f => Assert.DoesNotContain("S3cr3t", f.ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain("S3cr3t", spec.Tls.ToString(), StringComparison.Ordinal);
    }
}

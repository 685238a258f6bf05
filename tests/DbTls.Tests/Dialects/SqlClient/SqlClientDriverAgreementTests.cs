using DbTls.Dialects.SqlClient;
using DbTls.Dialects.Tds;
using DbTls.Policy;
using Microsoft.Data.SqlClient;

namespace DbTls.Tests.Dialects.SqlClient;

/// <summary>
/// The dialect against the real Microsoft.Data.SqlClient 7.1: SqlConnectionStringBuilder runs the same
/// connection string parser and keyword map as SqlConnection.
/// </summary>
[Trait("Category", "Integration")]
public class SqlClientDriverAgreementTests
{
    public static TheoryData<string> ValidStrings => new()
    {
        "Server=db.example.com;User ID=app;Password=p",
        "Data Source=db;Encrypt=false;TrustServerCertificate=true",
        "Addr=db;Encrypt=Optional;Trust Server Certificate=yes",
        "address=db;encrypt=YES;hostnameincertificate=cert.example.com",
        "Network Address=db;Encrypt=Strict;TrustServerCertificate=true;Host Name In Certificate=x.example.com",
        "Server=db;Encrypt=mandatory;Server Certificate=/tmp/x.pem",
        "Server=db;Encrypt=strict;ServerCertificate=/tmp/x.pem",
        "Server=db;UID=u;PWD='a;b''c';Database=d;Timeout=7",
        "Server=db;User=u;pwd=\"x\"\"y\";Initial Catalog=cat;Connection Timeout=0",
        "Server=db;ConnectTimeout=42;Encrypt=no",
        "  Server = db ; Encrypt = true ; ",
        "Server=db;Encrypt=false;Encrypt=;",
        "Server=db;Encrypt=true;Encrypt=false",
        "Server=db;Pooling=false;Application Name=x;Multiple Active Result Sets=true;Packet Size=4096",
        "Server=db;Authentication=SqlPassword;Integrated Security=false",
        "Server=db;Password= 'quoted' ",
    };

    public static TheoryData<string> InvalidStrings => new()
    {
        "Server",
        "Server=db;Password='open",
        "Server=db;Password=x'",
        "Server=db;Encrypt=maybe",
        "Server=db;Encrypt=on",
        "Server=db;TrustServerCertificate=2",
        "Server=db;Connect Timeout=-1",
        "Server=db;Connect Timeout=abc",
        "Server=db;Bogus=1",
        "Server=db;Trust  Server Certificate=true",
        "Server=db;Password='a'b",
        "=x",
        "Server=db;Context Connection=true",
    };

    [Theory]
    [MemberData(nameof(ValidStrings))]
    public void Reads_settings_as_SqlClient_does(string connectionString)
    {
        var builder = new SqlConnectionStringBuilder(connectionString);
        var spec = SqlClientConnectionString.Parse(connectionString);

        var expectedPrelogin = builder.Encrypt.Equals(SqlConnectionEncryptOption.Optional) ? TdsPreloginEncryption.Off
            : builder.Encrypt.Equals(SqlConnectionEncryptOption.Mandatory) ? TdsPreloginEncryption.On
            : TdsPreloginEncryption.NotSupported;
        Assert.Equal(expectedPrelogin, spec.PreloginEncryption);
        Assert.Equal(builder.Encrypt.Equals(SqlConnectionEncryptOption.Strict), spec.TlsFirst);
        Assert.Equal(builder.TrustServerCertificate && !spec.TlsFirst, spec.Tls.Verification == VerificationLevel.None);
        Assert.Equal(NullIfEmpty(builder.HostNameInCertificate), spec.Tls.ExpectedHostName);
        Assert.Equal(NullIfEmpty(builder.ServerCertificate), spec.Tls.PinnedCertificatePath);
        Assert.Equal(builder.UserID, spec.User ?? string.Empty);
        Assert.Equal(builder.Password, spec.Password?.Reveal() ?? string.Empty);
        Assert.Equal(builder.InitialCatalog, spec.Database ?? string.Empty);
        Assert.Equal(builder.ConnectTimeout == 0 ? null : TimeSpan.FromSeconds(builder.ConnectTimeout), spec.LoginTimeout);
        Assert.StartsWith(spec.Host, builder.DataSource.Trim().ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidStrings))]
    public void Rejects_what_SqlClient_rejects(string connectionString)
    {
        // SqlClient throws ArgumentException for syntax and keywords, other types for some values.
        Assert.ThrowsAny<Exception>(() => new SqlConnectionStringBuilder(connectionString));
        TdsSpecAssert.Invalid(() => SqlClientConnectionString.Parse(connectionString));
    }

    [Fact]
    public void Knows_exactly_the_keywords_SqlClient_knows()
    {
        var builder = new SqlConnectionStringBuilder();
        foreach (var key in SqlClientKeywords.AllKeys)
        {
            Assert.True(builder.ContainsKey(key), $"SqlClient does not know '{key}'");
        }

        foreach (string keyword in builder.Keys)
        {
            Assert.NotNull(SqlClientKeywords.Canonical(keyword.ToLowerInvariant()));
        }
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

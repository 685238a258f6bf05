using DbTls.Dialects;
using DbTls.Dialects.Odbc;
using DbTls.Dialects.Tds;
using DbTls.Policy;

namespace DbTls.Tests.Dialects.Odbc;

/// <summary>
/// ODBC Driver 18/17 strings against the driver's documented encryption table (learn.microsoft.com, "ODBC driver major
/// version differences"): documented, not measured, because the driver cannot be installed here. Each row: the
/// client's settings and the server's PRELOGIN answer, and what the driver does with it.
/// </summary>
public sealed class OdbcConnectionStringTests
{
    private const string Driver18 = "Driver={ODBC Driver 18 for SQL Server};Server=tcp:db.example.com,1433;UID=app;PWD=s3cret";
    private const string Driver17 = "Driver={ODBC Driver 17 for SQL Server};Server=db.example.com;UID=app;PWD=s3cret";

    // The wire enums are internal, so the rows carry them as objects and the theory casts them back.
    public static TheoryData<string, object, object, bool> Table => new()
    {
        // Driver 18 defaults to Encrypt=yes: encrypted and validated whatever the server answers, refused without TLS.
        { Driver18, TdsPreloginEncryption.Off, TdsAnswerAction.Encrypt, true },
        { Driver18, TdsPreloginEncryption.Required, TdsAnswerAction.Encrypt, true },
        { Driver18, TdsPreloginEncryption.NotSupported, TdsAnswerAction.Fail, false },
        { Driver18 + ";TrustServerCertificate=yes", TdsPreloginEncryption.Off, TdsAnswerAction.Encrypt, false },
        { Driver18 + ";Encrypt=Mandatory", TdsPreloginEncryption.On, TdsAnswerAction.Encrypt, true },
        // Encrypt=no: login-only TLS without validation unless the server forces encryption, which Driver 18 validates.
        { Driver18 + ";Encrypt=no", TdsPreloginEncryption.Off, TdsAnswerAction.LoginOnly, false },
        { Driver18 + ";Encrypt=Optional", TdsPreloginEncryption.Required, TdsAnswerAction.Encrypt, true },
        { Driver18 + ";Encrypt=no;TrustServerCertificate=yes", TdsPreloginEncryption.Required, TdsAnswerAction.Encrypt, false },
        { Driver18 + ";Encrypt=no", TdsPreloginEncryption.NotSupported, TdsAnswerAction.Plaintext, false },
        // Strict: TLS first, always validated (TrustServerCertificate ignored).
        { Driver18 + ";Encrypt=strict;TrustServerCertificate=yes", TdsPreloginEncryption.Off, TdsAnswerAction.Encrypt, true },
        // Driver 17 defaulted to Encrypt=no.
        { Driver17, TdsPreloginEncryption.Off, TdsAnswerAction.LoginOnly, false },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_server_answer_gets_the_documented_action(string connectionString, object answerValue, object actionValue, bool validates)
    {
        var (answer, action) = ((TdsPreloginEncryption)answerValue, (TdsAnswerAction)actionValue);
        var spec = OdbcConnectionString.Parse(connectionString);

        var rule = spec.ServerAnswers.For(answer);
        Assert.Equal(action, rule.Action);
        Assert.Equal(validates, rule.VerifiesCertificate);
        TdsSpecAssert.NoSecret(spec, "s3cret");
    }

    [Fact]
    public void Strict_is_tds_8_with_alpn_and_pins_only_there()
    {
        var strict = OdbcConnectionString.Parse(Driver18 + ";Encrypt=Strict;ServerCertificate=/etc/ssl/db.pem;HostNameInCertificate=db.internal");
        var mandatory = OdbcConnectionString.Parse(Driver18 + ";ServerCertificate=/etc/ssl/db.pem");

        Assert.True(strict.TlsFirst);
        Assert.Equal(["tds/8.0"], strict.Tls.Alpn.ToArray());
        Assert.Equal(VerificationLevel.PinnedCertificate, strict.Tls.Verification);
        Assert.Equal("db.internal", strict.Tls.ExpectedHostName);
        Assert.Null(mandatory.Tls.PinnedCertificatePath);
        Assert.Contains(mandatory.Findings, f => f.Message.Contains("only used with Encrypt=Strict", StringComparison.Ordinal));
    }

    [Fact]
    public void The_default_is_named_in_the_sources_and_summary()
    {
        var spec = OdbcConnectionString.Parse(Driver18);

        Assert.Contains(spec.Sources, s => s.StartsWith("Encrypt=yes (ODBC Driver 18's default", StringComparison.Ordinal));
        Assert.StartsWith("Driver={ODBC Driver 18 for SQL Server}; Encrypt=yes (default)", spec.PolicySummary, StringComparison.Ordinal);
        Assert.Equal("db.example.com", spec.Host);
        Assert.Equal(1433, spec.Port);
        Assert.Equal("app", spec.User);
    }

    [Theory]
    [InlineData(Driver18 + ";Encrypt=maybe")]
    [InlineData(Driver17 + ";Encrypt=strict")]
    [InlineData("Driver={ODBC Driver 18 for SQL Server};Server=db;PWD={unterminated")]
    [InlineData("Driver={ODBC Driver 18 for SQL Server};Server=db\\SQLEXPRESS")]
    public void Strings_the_driver_refuses_are_invalid_input(string connectionString) =>
        TdsSpecAssert.Invalid(() => OdbcConnectionString.Parse(connectionString), "unterminated");

    [Fact]
    public void A_braced_password_with_semicolons_and_braces_is_read_whole_and_masked_where_it_stands()
    {
        const string text = "Driver={ODBC Driver 18 for SQL Server};Server=db;UID=u;PWD={a;b}}c};Encrypt=no";

        var spec = OdbcConnectionString.Parse(text);

        Assert.Equal("a;b}c", spec.Password!.Reveal());
        Assert.Equal("Driver={ODBC Driver 18 for SQL Server};Server=db;UID=u;PWD=********;Encrypt=no", spec.RedactedConnectionString);
    }

    [Theory]
    [InlineData("Driver={ODBC Driver 18 for SQL Server};Server=db", true)]
    [InlineData("driver={odbc driver 17 for sql server};server=db", true)]
    [InlineData("Driver=FreeTDS;Server=db;Encryption=require", false)]
    [InlineData("Driver={ODBC Driver 13 for SQL Server};Server=db", false)]
    [InlineData("Server=db;Encrypt=true", false)]
    public void Only_microsofts_driver_17_and_18_select_the_dialect(string connectionString, bool odbc) =>
        Assert.Equal(odbc, DialectRegistry.Default.Detect(connectionString).Name == "odbc");
}

using DbTls.Diagnostics;
using DbTls.Dialects.Jdbc;
using DbTls.Dialects.Mongo;

namespace DbTls.Tests.Dialects;

/// <summary>
/// A misspelt key the driver silently drops gets "did you mean" and is a warning, and a misspelt TLS key says that the
/// TLS setting does not apply (FreeTDS is covered in FreeTdsConnectionTests, libpq and SqlClient refuse unknown keys).
/// </summary>
public sealed class MisspeltKeyTests
{
    [Fact]
    public void Jdbc_trustServerCertficate_is_a_warning_naming_the_tls_property()
    {
        var spec = JdbcConnectionString.Parse("jdbc:sqlserver://db;encrypt=true;trustServerCertficate=true");
        var finding = Assert.Single(spec.Findings, f => f.Message.Contains("trustServerCertficate", StringComparison.Ordinal));
        Assert.Equal((FindingCodes.ConfigWarning, Severity.Warning), (finding.Code, finding.Severity));
        Assert.Contains("did you mean \"trustServerCertificate\"?", finding.Message, StringComparison.Ordinal);
        Assert.Contains("The TLS setting \"trustServerCertificate\" does not apply", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Jdbc_misspelt_non_tls_property_is_a_warning_without_the_tls_sentence()
    {
        var spec = JdbcConnectionString.Parse("jdbc:sqlserver://db;encrypt=true;applicationNam=x");
        var finding = Assert.Single(spec.Findings, f => f.Message.Contains("applicationNam", StringComparison.Ordinal));
        Assert.Equal(FindingCodes.ConfigWarning, finding.Code);
        Assert.Contains("did you mean \"applicationName\"?", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("TLS setting", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mongo_tlsCAFlie_names_tlsCAFile_and_says_the_tls_setting_does_not_apply()
    {
        var spec = MongoConnectionString.Parse("mongodb://db/?tls=true&tlsCAFlie=/etc/ca.pem");
        var finding = Assert.Single(spec.Findings, f => f.Message.Contains("tlsCAFlie", StringComparison.Ordinal));
        Assert.Equal((FindingCodes.ConfigWarning, Severity.Warning), (finding.Code, finding.Severity));
        Assert.Contains("did you mean 'tlsCAFile'?", finding.Message, StringComparison.Ordinal);
        Assert.Contains("The TLS setting 'tlsCAFile' does not apply", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mongo_unknown_option_far_from_any_known_one_keeps_the_plain_warning()
    {
        var spec = MongoConnectionString.Parse("mongodb://db/?somethingElseEntirely=1");
        var finding = Assert.Single(spec.Findings, f => f.Message.Contains("somethingElseEntirely", StringComparison.Ordinal));
        Assert.Equal("unsupported URI option 'somethingElseEntirely' is ignored.", finding.Message);
    }
}

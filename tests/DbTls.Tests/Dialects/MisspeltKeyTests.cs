using System.Collections.Immutable;
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
    private static ImmutableArray<Finding> Findings(string connectionString) =>
        connectionString.StartsWith("jdbc:", StringComparison.Ordinal)
            ? JdbcConnectionString.Parse(connectionString).Findings
            : MongoConnectionString.Parse(connectionString).Findings;

    [Theory]
    [InlineData("jdbc:sqlserver://db;encrypt=true;trustServerCertficate=true", "trustServerCertficate", "did you mean \"trustServerCertificate\"?", "The TLS setting \"trustServerCertificate\" does not apply")]
    [InlineData("jdbc:sqlserver://db;encrypt=true;applicationNam=x", "applicationNam", "did you mean \"applicationName\"?", null)]
    [InlineData("mongodb://db/?tls=true&tlsCAFlie=/etc/ca.pem", "tlsCAFlie", "did you mean 'tlsCAFile'?", "The TLS setting 'tlsCAFile' does not apply")]
    [InlineData("mongodb://db/?tls=true&appnme=x", "appnme", "did you mean 'appname'?", null)]
    public void A_misspelt_key_is_a_warning_naming_the_key_meant(string connectionString, string typo, string suggestion, string? tlsSentence)
    {
        var finding = Assert.Single(Findings(connectionString), f => f.Message.Contains(typo, StringComparison.Ordinal));
        Assert.Equal((FindingCodes.ConfigWarning, Severity.Warning), (finding.Code, finding.Severity));
        Assert.Contains(suggestion, finding.Message, StringComparison.Ordinal);
        if (tlsSentence is null)
        {
            Assert.DoesNotContain("TLS setting", finding.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(tlsSentence, finding.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Mongo_unknown_option_far_from_any_known_one_keeps_the_plain_warning()
    {
        var finding = Assert.Single(Findings("mongodb://db/?somethingElseEntirely=1"), f => f.Message.Contains("somethingElseEntirely", StringComparison.Ordinal));
        Assert.Equal("unsupported URI option 'somethingElseEntirely' is ignored.", finding.Message);
    }
}

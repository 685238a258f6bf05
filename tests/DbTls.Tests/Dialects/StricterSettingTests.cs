using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Tls.Verification;

namespace DbTls.Tests.Dialects;

/// <summary>The stricter-mode warning in the dialect's own words, and libpq's corrected string rewritten from the redacted one.</summary>
public sealed class StricterSettingTests
{
    private static readonly Finding Warning =
        FindingCatalog.Create(FindingCodes.CertWouldFailVerification, StricterVerification.MessagePrefix + "certificate has expired");

    [Theory]
    [InlineData("host=db password=******** sslmode=require", "host=db password=******** sslmode=verify-full")]
    [InlineData("host=db sslmode='require' sslmode=verify-ca", "host=db sslmode='require' sslmode=verify-full")]
    [InlineData("host=db", "host=db sslmode=verify-full")]
    [InlineData("postgresql://u:********@db/app", "postgresql://u:********@db/app?sslmode=verify-full")]
    [InlineData("postgresql://db/app?sslmode=require&connect_timeout=5", "postgresql://db/app?sslmode=verify-full&connect_timeout=5")]
    [InlineData("postgresql://db/app?connect_timeout=5", "postgresql://db/app?connect_timeout=5&sslmode=verify-full")]
    public void Libpq_strings_get_verify_full_in_their_own_syntax(string redacted, string expected)
    {
        Assert.Equal(expected, StricterSetting.Corrected(redacted));
    }

    [Fact]
    public void A_string_that_does_not_parse_gets_no_corrected_string()
    {
        Assert.Null(StricterSetting.Corrected("host='unterminated"));
        var finding = StricterSetting.For("libpq", "host='unterminated", Warning);
        Assert.EndsWith("sslrootcert naming the CA when it is not ~/.postgresql/root.crt).", finding.Remedy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("libpq", "with sslmode=verify-full this connection would fail: certificate has expired")]
    [InlineData("sqlclient", "with Encrypt=Strict (or Encrypt=True with TrustServerCertificate=False) this connection would fail: certificate has expired")]
    [InlineData("jdbc", "with trustServerCertificate=false this connection would fail: certificate has expired")]
    [InlineData("mongodb", "with tls=true without tlsInsecure, tlsAllowInvalidCertificates or tlsAllowInvalidHostnames this connection would fail: certificate has expired")]
    public void Each_dialect_names_its_own_stricter_setting(string dialect, string message)
    {
        Assert.Equal(message, StricterSetting.For(dialect, "", Warning).Message);
    }

    [Fact]
    public void Other_findings_pass_through_unchanged()
    {
        var other = FindingCatalog.Create(FindingCodes.CertExpired, StricterVerification.MessagePrefix + "x");
        Assert.Same(other, StricterSetting.For("libpq", "host=db", other));
    }
}

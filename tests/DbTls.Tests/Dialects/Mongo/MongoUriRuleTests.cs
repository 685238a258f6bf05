using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;

namespace DbTls.Tests.Dialects.Mongo;

/// <summary>
/// URI rules that the MongoDB specification suites found missing, restated as our own cases so CI keeps them
/// covered without the (unvendored) spec data: proxy option combinations, and list options that are ignored with
/// a warning when their value cannot be read.
/// </summary>
public class MongoUriRuleTests
{
    [Theory]
    [InlineData("mongodb://db.example/?proxyPort=1080")]
    [InlineData("mongodb://db.example/?proxyUsername=alice&proxyPassword=secret")]
    [InlineData("mongodb://db.example/?proxyPassword=secret")]
    [InlineData("mongodb://db.example/?proxyHost=socks.example&proxyUsername=alice")]
    [InlineData("mongodb://db.example/?proxyHost=socks.example&proxyPassword=secret")]
    [InlineData("mongodb://db.example/?proxyHost=socks.example&proxyHost=other.example")]
    [InlineData("mongodb://db.example/?proxyHost=socks.example&proxyPort=1080&proxyPort=1081")]
    public void Inconsistent_proxy_options_are_invalid(string uri) =>
        Assert.Equal(FindingCodes.ConfigInvalid, Assert.Throws<DbTlsException>(() => MongoConnectionString.Parse(uri)).Code);

    [Fact]
    public void A_complete_proxy_configuration_parses()
    {
        var spec = MongoConnectionString.Parse("mongodb://db.example/?proxyHost=socks.example&proxyPort=1081&proxyUsername=alice&proxyPassword=secret");
        Assert.Equal("socks.example", spec.Options["proxyhost"]);
        Assert.Equal("1081", spec.Options["proxyport"]);
        Assert.DoesNotContain(spec.Findings, f => f.Code == FindingCodes.ConfigWarning);
    }

    [Fact]
    public void An_unreadable_readPreferenceTags_value_is_a_warning()
    {
        var spec = MongoConnectionString.Parse("mongodb://db.example/?readPreferenceTags=region");
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.ConfigWarning && f.Message.Contains("readPreferenceTags", StringComparison.Ordinal));
        Assert.False(spec.Options.ContainsKey("readpreferencetags"));
    }

    [Fact]
    public void An_escaped_comma_in_an_authMechanismProperties_value_is_a_warning()
    {
        var spec = MongoConnectionString.Parse("mongodb://db.example/?authMechanism=GSSAPI&authMechanismProperties=SERVICE_NAME:a%2Cb");
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.ConfigWarning && f.Message.Contains("authMechanismProperties", StringComparison.Ordinal));
        Assert.False(spec.Options.ContainsKey("authmechanismproperties"));

        // Without the escaped comma the same option is kept.
        spec = MongoConnectionString.Parse("mongodb://db.example/?authMechanism=GSSAPI&authMechanismProperties=SERVICE_NAME:ab");
        Assert.DoesNotContain(spec.Findings, f => f.Code == FindingCodes.ConfigWarning);
    }
}

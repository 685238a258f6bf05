using DbTls.Diagnostics;
using DbTls.Tls.HostNames;

namespace DbTls.Tests.Tls;

public class FreeTdsHostNameMatcherTests
{
    [Theory]
    [InlineData("db.test", "db.test", new string[0], true)]
    [InlineData("DB.Test", "db.test", new string[0], true)]
    [InlineData("a.test", "cn.test", new[] { "DNS:a.test", "DNS:b.test" }, true)]
    [InlineData("B.TEST", "cn.test", new[] { "DNS:a.test", "DNS:b.test" }, true)]
    // The CN is always tried when no SAN matched, even with dNSName SANs present.
    [InlineData("cn.test", "cn.test", new[] { "DNS:a.test" }, true)]
    [InlineData("c.test", "cn.test", new[] { "DNS:a.test" }, false)]
    // Wildcard certificates never match a host name.
    [InlineData("a.dbtls.test", null, new[] { "DNS:*.dbtls.test" }, false)]
    [InlineData("a.dbtls.test", "*.dbtls.test", new string[0], false)]
    [InlineData("db1.example.com", null, new[] { "DNS:db*.example.com" }, false)]
    [InlineData("*.dbtls.test", null, new[] { "DNS:*.dbtls.test" }, true)]
    // IP literals (inet_pton): iPAddress SANs only, by bytes; the CN still as a string.
    [InlineData("127.0.0.1", "db.test", new[] { "IP:7F000001" }, true)]
    [InlineData("127.0.0.1", "db.test", new[] { "DNS:127.0.0.1" }, false)]
    [InlineData("127.0.0.1", "127.0.0.1", new[] { "IP:7F000002" }, true)]
    [InlineData("127.1", "db.test", new[] { "IP:7F000001" }, false)]
    [InlineData("127.1", "db.test", new[] { "DNS:127.1" }, true)]
    [InlineData("::1", "db.test", new[] { "IP:00000000000000000000000000000001" }, true)]
    [InlineData("0:0:0:0:0:0:0:1", "db.test", new[] { "IP:00000000000000000000000000000001" }, true)]
    [InlineData("::1", "db.test", new[] { "IP:7F000001" }, false)]
    // A DNS name is never compared with iPAddress SANs.
    [InlineData("db.test", "x.test", new[] { "IP:7F000001" }, false)]
    // Embedded NUL.
    [InlineData("db.test", "db.test\0.evil", new string[0], false)]
    public void OpenSsl_build(string host, string? cn, string[] sans, bool expected)
    {
        using var cert = NameCerts.Create(cn, sans);
        var result = FreeTdsHostNameMatcher.Instance.Match(cert, host);
        Assert.True(expected == result.IsMatch, result.Message);
        if (!expected)
        {
            Assert.Equal(FindingCodes.CertHostnameMismatch, result.FailureCode);
        }
    }

    [Fact]
    public void OpenSsl_build_uses_the_last_cn()
    {
        using var cert = NameCerts.CreateWithCommonNames(["first.test", "last.test"]);
        Assert.True(FreeTdsHostNameMatcher.Instance.Match(cert, "last.test").IsMatch);
        Assert.False(FreeTdsHostNameMatcher.Instance.Match(cert, "first.test").IsMatch);
    }

    [Fact]
    public void OpenSsl_build_mismatch_lists_sans_then_cn()
    {
        using var cert = NameCerts.Create("cn.test", "DNS:*.dbtls.test", "IP:7F000001");
        var result = FreeTdsHostNameMatcher.Instance.Match(cert, "a.dbtls.test");
        Assert.Equal(["DNS:*.dbtls.test", "CN:cn.test"], result.NamesExamined);
        Assert.StartsWith("server certificate does not match host name \"a.dbtls.test\": it is valid for DNS:*.dbtls.test, CN:cn.test", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("db.test", true)]
    [InlineData("db.test", false)]
    public void No_names(string host, bool gnutls)
    {
        using var cert = NameCerts.Create(null, "EMAIL:a@b.test");
        IHostNameMatcher matcher = gnutls ? FreeTdsGnuTlsHostNameMatcher.Instance : FreeTdsHostNameMatcher.Instance;
        var result = matcher.Match(cert, host);
        Assert.False(result.IsMatch);
        Assert.Equal(FindingCodes.CertNoHostName, result.FailureCode);
    }

    [Fact]
    public void Matchers_come_from_the_policy()
    {
        Assert.IsType<SqlClientHostNameMatcher>(HostNameMatchers.For(DbTls.Policy.HostNameRules.SqlClient));
        Assert.IsType<JdbcHostNameMatcher>(HostNameMatchers.For(DbTls.Policy.HostNameRules.Jdbc));
        Assert.IsType<FreeTdsHostNameMatcher>(HostNameMatchers.For(DbTls.Policy.HostNameRules.FreeTds));
        Assert.IsType<FreeTdsGnuTlsHostNameMatcher>(HostNameMatchers.For(DbTls.Policy.HostNameRules.FreeTdsGnuTls));
        foreach (var rules in Enum.GetValues<DbTls.Policy.HostNameRules>())
        {
            Assert.False(string.IsNullOrEmpty(HostNameMatchers.For(rules).Name));
        }
    }
}

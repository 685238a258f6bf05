using DbTls.Tls.HostNames;

namespace DbTls.Tests.Tls;

public class FreeTdsGnuTlsHostNameMatcherTests
{
    [Theory]
    [InlineData("db.test", "db.test", new string[0], true)]
    [InlineData("DB.Test", "db.test", new string[0], true)]
    // The CN only without a dNSName SAN.
    [InlineData("cn.test", "cn.test", new[] { "DNS:a.test" }, false)]
    [InlineData("cn.test", "cn.test", new[] { "IP:7F000001" }, true)]
    [InlineData("b.test", "cn.test", new[] { "DNS:a.test", "DNS:B.TEST" }, true)]
    // Wildcards: the whole left-most label, names of three or more labels.
    [InlineData("a.dbtls.test", null, new[] { "DNS:*.dbtls.test" }, true)]
    [InlineData("A.DBTLS.TEST", null, new[] { "DNS:*.dbtls.test" }, true)]
    [InlineData("a.b.dbtls.test", null, new[] { "DNS:*.dbtls.test" }, false)]
    [InlineData("dbtls.test", null, new[] { "DNS:*.dbtls.test" }, false)]
    [InlineData("example.com", null, new[] { "DNS:*.com" }, false)]
    [InlineData("db1.example.com", null, new[] { "DNS:db*.example.com" }, false)]
    [InlineData("a.dbtls.test", "*.dbtls.test", new string[0], true)]
    // IP literals: iPAddress SANs only.
    [InlineData("127.0.0.1", "db.test", new[] { "IP:7F000001" }, true)]
    [InlineData("127.0.0.1", "127.0.0.1", new string[0], false)]
    [InlineData("127.0.0.1", "db.test", new[] { "DNS:127.0.0.1" }, false)]
    [InlineData("::1", null, new[] { "IP:00000000000000000000000000000001" }, true)]
    [InlineData("0:0:0:0:0:0:0:1", null, new[] { "IP:00000000000000000000000000000001" }, true)]
    [InlineData("db.test", "db.test\0.evil", new string[0], false)]
    public void Table(string host, string? cn, string[] sans, bool expected)
    {
        using var cert = NameCerts.Create(cn, sans);
        var result = FreeTdsGnuTlsHostNameMatcher.Instance.Match(cert, host);
        Assert.True(expected == result.IsMatch, result.Message);
    }
}

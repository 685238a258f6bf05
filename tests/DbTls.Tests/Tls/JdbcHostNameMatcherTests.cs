using DbTls.Diagnostics;
using DbTls.Tls.HostNames;

namespace DbTls.Tests.Tls;

public class JdbcHostNameMatcherTests
{
    [Theory]
    // The CN is tried first and a match there ends the check, SANs or not.
    [InlineData("db.test", "db.test", new string[0], true)]
    [InlineData("DB.Test", "db.test", new string[0], true)]
    [InlineData("cn.test", "cn.test", new[] { "DNS:a.test" }, true)]
    [InlineData("a.test", "cn.test", new[] { "DNS:a.test", "DNS:b.test" }, true)]
    [InlineData("B.TEST", "CN.test", new[] { "DNS:a.test", "DNS:B.test" }, true)]
    [InlineData("c.test", "cn.test", new[] { "DNS:a.test", "DNS:b.test" }, false)]
    // Wildcards: any run inside the first label, partial ones too; the host needs two dots.
    [InlineData("db.example.com", null, new[] { "DNS:*.example.com" }, true)]
    [InlineData("db1.example.com", null, new[] { "DNS:db*.example.com" }, true)]
    [InlineData("db.example.com", null, new[] { "DNS:db*.example.com" }, true)]
    [InlineData("web.example.com", null, new[] { "DNS:db*.example.com" }, false)]
    [InlineData("a.b.example.com", null, new[] { "DNS:*.example.com" }, false)]
    [InlineData("example.com", null, new[] { "DNS:*.com" }, false)]
    [InlineData("example.com", "*.com", new string[0], false)]
    [InlineData("db.example.com", "*.example.com", new string[0], true)]
    [InlineData("xn--db.example.com", null, new[] { "DNS:xn--*.example.com" }, false)]
    // iPAddress SANs by Java's textual form: IPv6 uncompressed, so ::1 does not match.
    [InlineData("127.0.0.1", "db.test", new[] { "IP:7F000001" }, true)]
    [InlineData("127.1", "db.test", new[] { "IP:7F000001" }, false)]
    [InlineData("0:0:0:0:0:0:0:1", "db.test", new[] { "IP:00000000000000000000000000000001" }, true)]
    [InlineData("::1", "db.test", new[] { "IP:00000000000000000000000000000001" }, false)]
    [InlineData("fe80:0:0:0:0:0:0:a", null, new[] { "IP:FE80000000000000000000000000000A" }, true)]
    [InlineData("FE80:0:0:0:0:0:0:A", null, new[] { "IP:FE80000000000000000000000000000A" }, true)]
    [InlineData("127.0.0.1", null, new[] { "IP:00000000000000000000FFFF7F000001" }, true)]
    // An IP host still matches a CN or dNSName that spells it.
    [InlineData("127.0.0.1", "127.0.0.1", new[] { "DNS:db.test" }, true)]
    [InlineData("127.0.0.1", "db.test", new[] { "DNS:127.0.0.1" }, true)]
    public void Table(string host, string? cn, string[] sans, bool expected)
    {
        using var cert = NameCerts.Create(cn, sans);
        var result = JdbcHostNameMatcher.Instance.Match(cert, host);
        Assert.True(expected == result.IsMatch, result.Message);
        if (!expected)
        {
            Assert.Equal(FindingCodes.CertHostnameMismatch, result.FailureCode);
        }
    }

    [Fact]
    public void The_first_cn_in_der_order_is_the_one_used()
    {
        using var cert = NameCerts.CreateWithCommonNames(["first.test", "last.test"]);
        Assert.True(JdbcHostNameMatcher.Instance.Match(cert, "first.test").IsMatch);
        Assert.False(JdbcHostNameMatcher.Instance.Match(cert, "last.test").IsMatch);
    }

    [Fact]
    public void Mismatch_lists_cn_then_sans()
    {
        using var cert = NameCerts.Create("cn.test", "IP:7F000001", "DNS:a.test");
        var result = JdbcHostNameMatcher.Instance.Match(cert, "Other.test");
        Assert.False(result.IsMatch);
        Assert.Equal(["CN:cn.test", "DNS:a.test", "IP:127.0.0.1"], result.NamesExamined);
        Assert.StartsWith("The name of the server certificate does not match \"other.test\"", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_names()
    {
        using var cert = NameCerts.Create(null);
        var result = JdbcHostNameMatcher.Instance.Match(cert, "db.test");
        Assert.False(result.IsMatch);
        Assert.Equal(FindingCodes.CertNoHostName, result.FailureCode);
    }

    [Theory]
    [InlineData("*.example.com", "db.example.com", true)]
    [InlineData("*b.example.com", "db.example.com", true)]
    [InlineData("d*b.example.com", "db.example.com", true)]
    [InlineData("d*b.example.com", "dxxb.example.com", true)]
    [InlineData("*.example.com", ".example.com", true)]
    [InlineData("*", "db.example.com", false)]
    [InlineData("*.example.*", "db.example.com", false)]
    [InlineData("db.*.com", "db.example.com", false)]
    public void Wildcard_algorithm(string pattern, string host, bool expected) =>
        Assert.Equal(expected, JdbcHostNameMatcher.ValidateServerName(pattern, host));
}

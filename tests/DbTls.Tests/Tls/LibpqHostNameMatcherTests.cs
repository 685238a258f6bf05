using DbTls.Diagnostics;
using DbTls.Tls.HostNames;

namespace DbTls.Tests.Tls;

public class LibpqHostNameMatcherTests
{
    private static HostNameMatchResult Match(string host, string? cn, params string[] sans)
    {
        using var cert = NameCerts.Create(cn, sans);
        return LibpqHostNameMatcher.Instance.Match(cert, host);
    }

    [Theory]
    [InlineData("db.test")]
    [InlineData("DB.Test")]
    public void Cn_only_matches_case_insensitively(string host) => Assert.True(Match(host, "db.test").IsMatch);

    [Fact]
    public void Cn_only_mismatch_names_the_cn()
    {
        var result = Match("other.test", "db.test");
        Assert.False(result.IsMatch);
        Assert.Equal(FindingCodes.CertHostnameMismatch, result.FailureCode);
        Assert.Equal("server certificate for \"db.test\" does not match host name \"other.test\"", result.Message);
    }

    [Fact]
    public void Dns_sans_disable_the_cn_for_a_dns_host()
    {
        var result = Match("cn.test", "cn.test", "DNS:a.test", "DNS:b.test");
        Assert.False(result.IsMatch);
        Assert.Equal("server certificate for \"a.test\" (and 1 other name) does not match host name \"cn.test\"", result.Message);
        Assert.Equal(["DNS:a.test", "DNS:b.test"], result.NamesExamined);
    }

    [Fact]
    public void Plural_other_names()
    {
        var result = Match("x.test", null, "DNS:a.test", "DNS:b.test", "IP:7F000001");
        Assert.Equal("server certificate for \"a.test\" (and 2 other names) does not match host name \"x.test\"", result.Message);
    }

    [Theory]
    [InlineData("a.dbtls.test", true)]
    [InlineData("A.DBTLS.TEST", true)]
    [InlineData("a.b.dbtls.test", false)]
    [InlineData("dbtls.test", false)]
    [InlineData(".dbtls.test", false)]
    [InlineData("adbtls.test", false)]
    public void Wildcard_covers_exactly_one_label(string host, bool expected) =>
        Assert.Equal(expected, Match(host, null, "DNS:*.dbtls.test").IsMatch);

    [Theory]
    [InlineData("*.", "a.", false)]          // pattern shorter than 3
    [InlineData("*a.test", "ba.test", false)] // partial-label wildcards are not wildcards for libpq
    [InlineData("a*.test", "ab.test", false)]
    [InlineData("*.test", "db.test", true)]
    [InlineData("*.test", "test", false)]
    public void Wildcard_rules(string pattern, string host, bool expected) =>
        Assert.Equal(expected, LibpqHostNameMatcher.WildcardMatch(System.Text.Encoding.ASCII.GetBytes(pattern), System.Text.Encoding.ASCII.GetBytes(host)));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.000.000.001")]
    [InlineData("127.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("2130706433")]
    [InlineData("0177.0.0.1")]
    public void Ipv4_san_matches_every_inet_aton_spelling(string host)
    {
        var result = Match(host, null, "IP:7F000001");
        Assert.True(result.IsMatch, result.Message);
    }

    [Theory]
    [InlineData("::1", true)]
    [InlineData("0:0:0:0:0:0:0:1", true)]
    [InlineData("0000:0000:0000:0000:0000:0000:0000:0001", true)]
    [InlineData("::0:1", true)]
    [InlineData("[::1]", false)]
    [InlineData("::2", false)]
    public void Ipv6_san_matches_every_inet_pton_spelling(string host, bool expected) =>
        Assert.Equal(expected, Match(host, null, "IP:00000000000000000000000000000001").IsMatch);

    [Fact]
    public void Ip_san_mismatch_prints_the_address_like_libpq()
    {
        var result = Match("127.0.0.2", null, "IP:7F000001");
        Assert.Equal("server certificate for \"127.0.0.1\" does not match host name \"127.0.0.2\"", result.Message);
    }

    [Fact]
    public void Ip_host_falls_back_to_the_cn_even_with_dns_sans()
    {
        // libpq departs from RFC 6125 here: no iPAddress SAN, so the CN is compared (as a string).
        Assert.True(Match("127.0.0.1", "127.0.0.1", "DNS:db.test").IsMatch);
    }

    [Fact]
    public void Ip_cn_is_compared_as_a_string()
    {
        Assert.True(Match("127.0.0.1", "127.0.0.1").IsMatch);
        var result = Match("127.1", "127.0.0.1");
        Assert.False(result.IsMatch);
        Assert.Equal("server certificate for \"127.0.0.1\" does not match host name \"127.1\"", result.Message);
    }

    [Fact]
    public void Dns_san_is_compared_to_an_ip_host_as_a_string() => Assert.True(Match("127.0.0.1", null, "DNS:127.0.0.1").IsMatch);

    [Fact]
    public void Ip_san_does_not_disable_the_cn_for_a_dns_host() => Assert.True(Match("db.test", "db.test", "IP:7F000001").IsMatch);

    [Fact]
    public void Ip_san_of_host_type_disables_the_cn_for_an_ip_host()
    {
        var result = Match("127.0.0.1", "127.0.0.1", "IP:7F000002");
        Assert.False(result.IsMatch);
        Assert.Equal("server certificate for \"127.0.0.2\" does not match host name \"127.0.0.1\"", result.Message);
    }

    [Fact]
    public void Other_san_types_are_ignored() => Assert.True(Match("db.test", "db.test", "EMAIL:a@db.test").IsMatch);

    [Fact]
    public void No_names_at_all()
    {
        var result = Match("db.test", null);
        Assert.Equal(FindingCodes.CertNoHostName, result.FailureCode);
        Assert.Equal("could not get server's host name from server certificate", result.Message);
        Assert.Equal(FindingCodes.CertNoHostName, Match("db.test", null, "EMAIL:a@db.test").FailureCode);
    }

    [Fact]
    public void Embedded_nul_is_rejected()
    {
        var result = Match("db.test", null, "DNS:db.test\0.evil.test");
        Assert.False(result.IsMatch);
        Assert.Equal(FindingCodes.CertHostnameMismatch, result.FailureCode);
        Assert.Equal("SSL certificate's name contains embedded null", result.Message);

        // An error stops the SAN loop and the CN is not consulted either.
        Assert.False(Match("db.test", "db.test", "DNS:x\0y").IsMatch);
        Assert.Equal("SSL certificate's name contains embedded null", Match("db.test", "db.test\0.evil").Message);
    }

    [Fact]
    public void Ip_san_of_invalid_length_is_an_error()
    {
        var result = Match("db.test", "db.test", "IP:0102030405");
        Assert.False(result.IsMatch);
        Assert.Equal("certificate contains IP address with invalid length 5", result.Message);
    }

    [Fact]
    public void A_match_stops_at_the_first_matching_san() =>
        Assert.True(Match("b.test", null, "DNS:a.test", "DNS:b.test", "IP:0102030405").IsMatch);
}

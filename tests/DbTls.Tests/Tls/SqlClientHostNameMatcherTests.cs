using DbTls.Diagnostics;
using DbTls.Tls.HostNames;

namespace DbTls.Tests.Tls;

public class SqlClientHostNameMatcherTests
{
    /// <summary>host, CN (null: none), SANs ("DNS:x", "IP:hex"), whether SqlClient accepts the certificate for the host alone.</summary>
    public static TheoryData<string, string?, string[], bool> Table => new()
    {
        // SAN vs CN precedence: the CN only counts when there is no SAN of the host's type.
        { "db.test", "db.test", [], true },
        { "DB.Test", "db.test", [], true },
        { "cn.test", "cn.test", ["DNS:a.test"], false },
        { "a.test", "cn.test", ["DNS:a.test", "DNS:b.test"], true },
        { "B.TEST", "cn.test", ["DNS:a.test", "DNS:b.test"], true },
        // Wildcards: one whole left-most label, in SANs.
        { "a.dbtls.test", null, ["DNS:*.dbtls.test"], true },
        { "A.DBTLS.TEST", null, ["DNS:*.dbtls.test"], true },
        { "a.b.dbtls.test", null, ["DNS:*.dbtls.test"], false },
        { "dbtls.test", null, ["DNS:*.dbtls.test"], false },
        { "db1.example.com", null, ["DNS:db*.example.com"], false },
        { "example.com", null, ["DNS:*.com"], true }, // step 2: MatchesHostname accepts it (SslStream does not: see the cross-check tests)
        { "a.dbtls.test", "*.dbtls.test", [], true }, // step 1: SslStream accepts a CN wildcard (MatchesHostname does not)
        // IP hosts: iPAddress SANs, .NET's IPAddress parsing.
        { "127.0.0.1", "db.test", ["IP:7F000001"], true },
        { "127.0.0.2", "db.test", ["IP:7F000001"], false },
        { "::1", "db.test", ["IP:00000000000000000000000000000001"], true },
        { "0:0:0:0:0:0:0:1", "db.test", ["IP:00000000000000000000000000000001"], true },
        { "127.0.0.1", "db.test", ["DNS:127.0.0.1"], false },
        // No names at all.
        { "db.test", null, [], false },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Host_alone(string host, string? cn, string[] sans, bool expected)
    {
        using var cert = NameCerts.Create(cn, sans);
        var result = SqlClientHostNameMatcher.Instance.Match(cert, host);
        Assert.Equal(expected, result.IsMatch);
        if (!expected)
        {
            Assert.Equal(sans.Length == 0 && cn is null ? FindingCodes.CertNoHostName : FindingCodes.CertHostnameMismatch, result.FailureCode);
        }
    }

    /// <summary>
    /// SqlClient's two steps with the primitives themselves: SslStream's check of the lower-cased host (as
    /// SqlClientSslStreamCrossCheckTests pins it to the real SslStream), then X509Certificate2.MatchesHostname.
    /// </summary>
    [Theory]
    [MemberData(nameof(Table))]
    public void Is_SslStream_check_then_MatchesHostname(string host, string? cn, string[] sans, bool expected)
    {
        using var cert = NameCerts.Create(cn, sans);
        var stepOne = SslStreamHostNameCheck.Matches(cert, host.ToLowerInvariant());
        var dotnet = stepOne || cert.MatchesHostname(host);
        Assert.Equal(dotnet, SqlClientHostNameMatcher.Instance.Match(cert, host).IsMatch);
        Assert.Equal(expected, dotnet);

        // With HostNameInCertificate: SslStream's check of the lower-cased host, then MatchesHostname(expected).
        var withExpected = stepOne || cert.MatchesHostname("a.test");
        Assert.Equal(withExpected, SqlClientHostNameMatcher.Instance.Match(cert, host, "a.test").IsMatch);
    }

    [Fact]
    public void Data_source_match_wins_even_when_HostNameInCertificate_names_something_else()
    {
        using var cert = NameCerts.Create("db.test", "DNS:db.test");
        var result = SqlClientHostNameMatcher.Instance.Match(cert, "DB.test", "other.test");
        Assert.True(result.IsMatch);
        Assert.Contains("Data Source host \"db.test\"", result.Message, StringComparison.Ordinal);
        Assert.Contains("HostNameInCertificate \"other.test\" is not consulted", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostNameInCertificate_is_tried_after_a_data_source_mismatch()
    {
        using var cert = NameCerts.Create("sql.internal", "DNS:sql.internal");
        var result = SqlClientHostNameMatcher.Instance.Match(cert, "10.0.0.5", "sql.internal");
        Assert.True(result.IsMatch);
        Assert.Contains("HostNameInCertificate \"sql.internal\"", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_names_failing_names_both()
    {
        using var cert = NameCerts.Create("cn.test", "DNS:a.test");
        var result = SqlClientHostNameMatcher.Instance.Match(cert, "db.test", "alias.test");
        Assert.False(result.IsMatch);
        Assert.Equal(FindingCodes.CertHostnameMismatch, result.FailureCode);
        Assert.Equal("server certificate matches neither the Data Source host \"db.test\" nor HostNameInCertificate \"alias.test\": it is valid for DNS:a.test, CN:cn.test (SqlClient: RFC 6125 rules as .NET applies them)", result.Message);
    }

    [Fact]
    public void Only_an_expected_name_is_checked_alone()
    {
        using var cert = NameCerts.Create(null, "DNS:a.test");
        Assert.True(SqlClientHostNameMatcher.Instance.Match(cert, null, "a.test").IsMatch);
        Assert.False(SqlClientHostNameMatcher.Instance.Match(cert, "", "b.test").IsMatch);
    }

    [Fact]
    public void Interface_default_passes_the_expected_name_to_other_matchers()
    {
        using var cert = NameCerts.Create(null, "DNS:a.test");
        IHostNameMatcher libpq = LibpqHostNameMatcher.Instance;
        Assert.True(libpq.Match(cert, "other.test", "a.test").IsMatch);
        Assert.False(libpq.Match(cert, "a.test", "other.test").IsMatch);
        Assert.True(libpq.Match(cert, "a.test", null).IsMatch);
    }
}

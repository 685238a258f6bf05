using System.Net;
using System.Net.Sockets;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tests.Infrastructure;
using DbTls.Tls.Verification;

namespace DbTls.Tests.Tls;

/// <summary>Host-name rules through a real handshake: what is verified, and what SNI carries.</summary>
[Trait("Category", "Integration")]
[Collection("tls")]
public class TlsHostNameTests(TlsPki pki)
{
    private async Task<Connection> ConnectAsync(CertSpec spec, string? host, HostNameRules rules = HostNameRules.Libpq, IPAddress? address = null, TlsPolicy? policy = null)
    {
        using var leaf = pki.Leaf(spec);
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate], Address = address ?? IPAddress.Loopback });
        var connection = await Connection.OpenAsync(server.EndPoint, policy ?? pki.RootPolicy(rules: rules), host);
        LastSni = server.ReceivedSni;
        return connection;
    }

    private string? LastSni { get; set; }

    [Fact]
    public async Task Cn_only_certificate_matches_its_cn()
    {
        await using var connection = await ConnectAsync(new CertSpec { CommonName = "db.test" }, "db.test");
        Assert.Contains("\"db.test\" matches host name \"db.test\"", connection.Detail(ValidationSteps.Hostname), StringComparison.Ordinal);
        Assert.Equal("db.test", LastSni);
    }

    [Fact]
    public async Task Connecting_by_the_cn_fails_when_dns_sans_exist()
    {
        await using var connection = await ConnectAsync(new CertSpec { CommonName = "cn.test", DnsNames = ["a.test", "b.test"] }, "cn.test");
        Assert.Equal(FindingCodes.CertHostnameMismatch, connection.Failed.Code);
        Assert.Equal("server certificate for \"a.test\" (and 1 other name) does not match host name \"cn.test\"", connection.Failed.Message);
        Assert.Contains("names examined: DNS:a.test, DNS:b.test", connection.Detail(ValidationSteps.Hostname), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a.dbtls.test", true)]
    [InlineData("a.b.dbtls.test", false)]
    [InlineData("dbtls.test", false)]
    public async Task Wildcard_covers_one_label(string host, bool ok)
    {
        await using var connection = await ConnectAsync(new CertSpec { CommonName = "wildcard", DnsNames = ["*.dbtls.test"] }, host);
        Assert.Equal(ok, connection.Session is not null);
        if (!ok)
        {
            Assert.Equal($"server certificate for \"*.dbtls.test\" does not match host name \"{host}\"", connection.Failed.Message);
        }
    }

    [Theory]
    [InlineData("127.0.0.1")]
    public async Task Ip_cn_only_matches_the_same_string_and_sends_no_sni(string host)
    {
        await using var connection = await ConnectAsync(new CertSpec { CommonName = "127.0.0.1" }, host);
        Assert.NotNull(connection.Session);
        Assert.Null(connection.Report.Sni);
        Assert.Null(LastSni);
    }

    [Fact]
    public async Task Ip_cn_is_not_parsed_so_127_1_fails()
    {
        await using var connection = await ConnectAsync(new CertSpec { CommonName = "127.0.0.1" }, "127.1");
        Assert.Equal("server certificate for \"127.0.0.1\" does not match host name \"127.1\"", connection.Failed.Message);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.000.000.001")]
    [InlineData("127.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("2130706433")]
    public async Task Ipv4_san_matches_inet_aton_spellings_without_sni(string host)
    {
        await using var connection = await ConnectAsync(new CertSpec { CommonName = "db.test", IpAddresses = [IPAddress.Loopback] }, host);
        Assert.True(connection.Session is not null, connection.Error?.Message);
        Assert.Null(connection.Report.Sni);
        Assert.Null(LastSni);
        Assert.Contains("host is an IP address", connection.Detail(ValidationSteps.Hostname), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("0:0:0:0:0:0:0:1")]
    [InlineData("0000:0000:0000:0000:0000:0000:0000:0001")]
    public async Task Ipv6_san_matches_inet_pton_spellings_without_sni(string host)
    {
        if (!Socket.OSSupportsIPv6)
        {
            return;
        }

        await using var connection = await ConnectAsync(new CertSpec { CommonName = "db.test", IpAddresses = [IPAddress.IPv6Loopback] }, host, address: IPAddress.IPv6Loopback);
        Assert.True(connection.Session is not null, connection.Error?.Message);
        Assert.Null(LastSni);
        Assert.Equal(["::1"], connection.Report.Certificates[0].IpAddresses);
    }

    [Fact]
    public async Task Ip_host_uses_the_cn_when_only_dns_sans_exist()
    {
        // libpq's documented departure from RFC 6125; .NET's MatchesHostname happens to behave the same way.
        var spec = new CertSpec { CommonName = "127.0.0.1", DnsNames = ["db.test"] };
        await using (var libpq = await ConnectAsync(spec, "127.0.0.1"))
        {
            Assert.NotNull(libpq.Session);
        }

        await using var rfc = await ConnectAsync(spec, "127.0.0.1", HostNameRules.Rfc6125);
        Assert.NotNull(rfc.Session);
    }

    [Fact]
    public async Task Dns_san_spelling_an_ip_matches_an_ip_host_under_libpq_only()
    {
        var spec = new CertSpec { CommonName = "x.test", DnsNames = ["127.0.0.1"] };
        await using (var libpq = await ConnectAsync(spec, "127.0.0.1"))
        {
            Assert.NotNull(libpq.Session);
        }

        await using var rfc = await ConnectAsync(spec, "127.0.0.1", HostNameRules.Rfc6125);
        Assert.Equal(FindingCodes.CertHostnameMismatch, rfc.Failed.Code);
        Assert.Equal("server certificate does not match host name \"127.0.0.1\": it is valid for CN:x.test (RFC 6125 rules as .NET applies them: the CN is used because there is no iPAddress SAN)", rfc.Failed.Message);
    }

    [Fact]
    public async Task Cn_wildcard_counts_under_libpq_only()
    {
        var spec = new CertSpec { CommonName = "*.dbtls.test" };
        await using (var libpq = await ConnectAsync(spec, "a.dbtls.test"))
        {
            Assert.NotNull(libpq.Session);
        }

        await using var rfc = await ConnectAsync(spec, "a.dbtls.test", HostNameRules.Rfc6125);
        Assert.Equal(FindingCodes.CertHostnameMismatch, rfc.Failed.Code);
    }

    [Fact]
    public async Task Rfc6125_matches_sans()
    {
        await using var connection = await ConnectAsync(new CertSpec { CommonName = "db.test", DnsNames = ["*.dbtls.test"] }, "A.dbtls.test", HostNameRules.Rfc6125);
        Assert.NotNull(connection.Session);
        Assert.Contains("RFC 6125", connection.Detail(ValidationSteps.Hostname), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_names_at_all()
    {
        await using var connection = await ConnectAsync(new CertSpec { CommonName = null }, "db.test");
        Assert.Equal(FindingCodes.CertNoHostName, connection.Failed.Code);
        Assert.Equal("could not get server's host name from server certificate", connection.Failed.Message);
    }

    [Fact]
    public async Task No_host_name_under_full_verification_is_a_configuration_error_after_showing_the_chain()
    {
        await using var connection = await ConnectAsync(new CertSpec { CommonName = "db.test" }, null);
        Assert.Equal(FindingCodes.ConfigInvalid, connection.Failed.Code);
        Assert.Equal("host name must be specified for a verified SSL connection", connection.Failed.Message);
        Assert.Equal(2, connection.Report.Certificates.Count);
        Assert.Null(connection.Report.Sni);
    }

    [Fact]
    public async Task Expected_host_name_replaces_the_target_for_verification_but_not_for_sni()
    {
        var policy = pki.RootPolicy() with { ExpectedHostName = "db.test" };
        await using var connection = await ConnectAsync(new CertSpec { CommonName = "db.test", DnsNames = ["db.test"] }, "alias.test", policy: policy);
        Assert.NotNull(connection.Session);
        Assert.Equal("alias.test", LastSni);
        Assert.Contains("expected host name from the policy", connection.Detail(ValidationSteps.Hostname), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sni_can_be_turned_off()
    {
        var policy = pki.RootPolicy() with { SendSni = false };
        await using var connection = await ConnectAsync(new CertSpec { CommonName = "db.test", DnsNames = ["db.test"] }, "db.test", policy: policy);
        Assert.NotNull(connection.Session);
        Assert.Null(connection.Report.Sni);
        Assert.Null(LastSni);
    }

    [Fact]
    public async Task SqlClient_accepts_a_certificate_for_the_data_source_whatever_HostNameInCertificate_says()
    {
        var policy = pki.RootPolicy(rules: HostNameRules.SqlClient) with { ExpectedHostName = "other.test" };
        await using var connection = await ConnectAsync(new CertSpec { CommonName = "db.test", DnsNames = ["db.test"] }, "DB.test", policy: policy);
        Assert.True(connection.Session is not null, connection.Error?.Message);
        Assert.Contains("matches the Data Source host \"db.test\"", connection.Detail(ValidationSteps.Hostname), StringComparison.Ordinal);
        Assert.Contains("[sqlclient rules, expected host name from the policy]", connection.Detail(ValidationSteps.Hostname), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SqlClient_falls_back_to_HostNameInCertificate()
    {
        var policy = pki.RootPolicy(rules: HostNameRules.SqlClient) with { ExpectedHostName = "sql.internal" };
        await using var connection = await ConnectAsync(new CertSpec { CommonName = "sql.internal", DnsNames = ["sql.internal"] }, "127.0.0.1", policy: policy);
        Assert.True(connection.Session is not null, connection.Error?.Message);
        Assert.Contains("HostNameInCertificate \"sql.internal\"", connection.Detail(ValidationSteps.Hostname), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SqlClient_mismatch_names_both_names()
    {
        var policy = pki.RootPolicy(rules: HostNameRules.SqlClient) with { ExpectedHostName = "alias.test" };
        await using var connection = await ConnectAsync(new CertSpec { CommonName = "cn.test", DnsNames = ["a.test"] }, "db.test", policy: policy);
        Assert.Equal(FindingCodes.CertHostnameMismatch, connection.Failed.Code);
        Assert.StartsWith("server certificate matches neither the Data Source host \"db.test\" nor HostNameInCertificate \"alias.test\"", connection.Failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FreeTds_never_matches_a_wildcard_certificate_but_always_tries_the_cn()
    {
        await using (var wildcard = await ConnectAsync(new CertSpec { CommonName = "wildcard", DnsNames = ["*.dbtls.test"] }, "a.dbtls.test", HostNameRules.FreeTds))
        {
            Assert.Equal(FindingCodes.CertHostnameMismatch, wildcard.Failed.Code);
            Assert.Contains("[freetds rules; names examined: DNS:*.dbtls.test, CN:wildcard]", wildcard.Detail(ValidationSteps.Hostname), StringComparison.Ordinal);
        }

        await using var cn = await ConnectAsync(new CertSpec { CommonName = "cn.test", DnsNames = ["a.test"] }, "cn.test", HostNameRules.FreeTds);
        Assert.True(cn.Session is not null, cn.Error?.Message);
    }

    [Fact]
    public async Task Jdbc_and_FreeTds_GnuTls_through_the_validator()
    {
        var spec = new CertSpec { CommonName = "cn.test", DnsNames = ["db*.dbtls.test"] };
        await using (var jdbc = await ConnectAsync(spec, "db1.dbtls.test", HostNameRules.Jdbc))
        {
            Assert.True(jdbc.Session is not null, jdbc.Error?.Message);
        }

        await using var gnutls = await ConnectAsync(spec, "db1.dbtls.test", HostNameRules.FreeTdsGnuTls);
        Assert.Equal(FindingCodes.CertHostnameMismatch, gnutls.Failed.Code);
    }

    /// <summary>
    /// The libpq matcher against OpenSSL's X509_check_host on the same certificate, where the two
    /// rule sets agree (DNS hosts: SAN-only when dNSName SANs exist, one-label wildcards).
    /// </summary>
    [Theory]
    [InlineData("db.test", "db.test", true)]
    [InlineData("a.dbtls.test", "*.dbtls.test", true)]
    [InlineData("a.b.dbtls.test", "*.dbtls.test", false)]
    [InlineData("dbtls.test", "*.dbtls.test", false)]
    [InlineData("cn.test", "other.test", false)]
    public void Libpq_matcher_agrees_with_openssl_for_dns_hosts(string host, string san, bool expected)
    {
        using var leaf = pki.Leaf(new CertSpec { CommonName = "cn.test", DnsNames = [san] });
        var file = pki.Write($"x509-check-host-{Guid.NewGuid():N}.pem", leaf.CertificatePem);
        var ours = DbTls.Tls.HostNames.LibpqHostNameMatcher.Instance.Match(leaf.Certificate, host).IsMatch;
        var (exit, output) = OpenSslCli.Run("verify", "-CAfile", pki.RootFile, "-untrusted", pki.IntermediateFile, "-verify_hostname", host, file);
        Assert.Equal(expected, ours);
        Assert.True(expected == (exit == 0), output);
    }
}

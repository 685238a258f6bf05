using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using DbTls.Tests.Infrastructure;
using DbTls.Tls.HostNames;

namespace DbTls.Tests.Tls;

/// <summary>
/// SqlClient's first step is SslStream's own name check of the lower-cased Data Source host. Consult the
/// real thing: a raw SslStream handshake against the in-process server, reading RemoteCertificateNameMismatch,
/// must agree with <see cref="SqlClientHostNameMatcher.MatchesDataSource"/> (<see cref="SslStreamHostNameCheck"/>)
/// on every row, the corners where X509Certificate2.MatchesHostname decides otherwise included. The whole
/// SqlClient decision on those corners is measured against real SqlClient in SqlClientHostNameCornerTests.
/// </summary>
[Trait("Category", "Integration")]
[Collection("tls")]
public class SqlClientSslStreamCrossCheckTests(TlsPki pki)
{
    [Theory]
    [InlineData("db.test", "db.test", new string[0], new string[0])]
    [InlineData("DB.Test", "db.test", new string[0], new string[0])]
    [InlineData("cn.test", "cn.test", new[] { "a.test" }, new string[0])]
    [InlineData("b.test", "cn.test", new[] { "a.test", "b.test" }, new string[0])]
    [InlineData("a.dbtls.test", "x", new[] { "*.dbtls.test" }, new string[0])]
    [InlineData("a.b.dbtls.test", "x", new[] { "*.dbtls.test" }, new string[0])]
    [InlineData("dbtls.test", "x", new[] { "*.dbtls.test" }, new string[0])]
    [InlineData("127.0.0.1", "db.test", new string[0], new[] { "127.0.0.1" })]
    [InlineData("127.0.0.1", "db.test", new[] { "127.0.0.1" }, new string[0])]
    [InlineData("127.0.0.1", "127.0.0.1", new[] { "db.test" }, new string[0])]
    [InlineData("::1", "db.test", new string[0], new[] { "::1" })]
    [InlineData("db1.dbtls.test", "x", new[] { "db*.dbtls.test" }, new string[0])]
    [InlineData("db1.dbtls.test", "db*.dbtls.test", new string[0], new string[0])]
    [InlineData("a.dbtls.test", "*.dbtls.test", new[] { "b.test" }, new string[0])]
    [InlineData("example.com", "*.com", new string[0], new string[0])]
    [InlineData("127.0.0.1", "127.0.0.1", new string[0], new string[0])]
    [InlineData("127.0.0.1", "db.test", new string[0], new[] { "127.0.0.2" })]
    [InlineData("a.b.dbtls.test", "*.dbtls.test", new string[0], new string[0])]

    // The four corners where SslStream and MatchesHostname disagree (formerly pinned here as known gaps).
    [InlineData("a.dbtls.test", "*.dbtls.test", new string[0], new string[0])] // CN wildcard, no SAN: SslStream accepts
    [InlineData("a.dbtls.test", "*.DBTLS.test", new string[0], new string[0])]
    [InlineData("127.0.0.1", "127.0.0.1", new string[0], new[] { "127.0.0.2" })] // IP host: CN despite an iPAddress SAN
    [InlineData("example.com", "x", new[] { "*.com" }, new string[0])] // SslStream rejects what MatchesHostname accepts

    // More corners measured on .NET 10/Linux.
    [InlineData("a.dbtls.test", "*.dbtls.test", new string[0], new[] { "127.0.0.1" })] // an iPAddress SAN does not hide the CN
    [InlineData("adb.dbtls.test", "x", new[] { "*db.dbtls.test" }, new string[0])]
    [InlineData("a.dbtls.test", "x", new[] { "a*.dbtls.test" }, new string[0])]
    [InlineData("a.dbtls.test", "x", new[] { "*.dbtls.test." }, new string[0])]
    [InlineData("a.dbtls.test", "x", new[] { "*.*.test" }, new string[0])]
    [InlineData("a.dbtls.test", "x", new[] { "*" }, new string[0])]
    [InlineData("a_b.dbtls.test", "x", new[] { "*.dbtls.test" }, new string[0])]
    [InlineData("A.dbtls.test", "x", new[] { "*.DBTLS.TEST" }, new string[0])]
    [InlineData("db.test", "x", new[] { "*.test" }, new string[0])]
    [InlineData("a.b.dbtls.test", "x", new[] { "*.b.dbtls.test" }, new string[0])]
    [InlineData("127.0.0.1", "x", new[] { "127.0.0.1" }, new string[0])]
    [InlineData("127.0.0.1", "*.0.0.1", new string[0], new string[0])]
    [InlineData("127.1", "x", new string[0], new[] { "127.0.0.1" })]
    [InlineData("127.1", "127.1", new string[0], new string[0])]
    [InlineData("127.1", "127.0.0.1", new string[0], new string[0])]
    [InlineData("::a", "::A", new string[0], new string[0])]
    [InlineData("::1", "0:0:0:0:0:0:0:1", new string[0], new string[0])]
    [InlineData("0:0:0:0:0:0:0:1", "x", new string[0], new[] { "::1" })]
    [InlineData("localhost", "localhost", new string[0], new[] { "127.0.0.1" })]
    public async Task Step_one_agrees_with_SslStream(string host, string cn, string[] dns, string[] ips) =>
        Assert.Equal(await SslStreamAcceptsAsync(host, cn, dns, ips), StepOne(host, cn, dns, ips));

    /// <summary>
    /// The corners themselves, measured: SslStream's check and MatchesHostname (SqlClient's step 2) disagree here, so
    /// a dbtls built on MatchesHostname alone got SqlClient's first step wrong.
    /// </summary>
    [Theory]
    [InlineData("a.dbtls.test", "*.dbtls.test", new string[0], new string[0], true)]
    [InlineData("a.dbtls.test", "*.DBTLS.test", new string[0], new string[0], true)]
    [InlineData("127.0.0.1", "127.0.0.1", new string[0], new[] { "127.0.0.2" }, true)]
    [InlineData("example.com", "x", new[] { "*.com" }, new string[0], false)]
    public async Task SslStream_and_MatchesHostname_disagree_on_the_corners(string host, string cn, string[] dns, string[] ips, bool sslStream)
    {
        Assert.Equal(sslStream, await SslStreamAcceptsAsync(host, cn, dns, ips));
        using var leaf = pki.Leaf(Spec(cn, dns, ips));
        Assert.Equal(!sslStream, leaf.Certificate.MatchesHostname(host));
    }

    private bool StepOne(string host, string cn, string[] dns, string[] ips)
    {
        using var leaf = pki.Leaf(Spec(cn, dns, ips));
        return SqlClientHostNameMatcher.MatchesDataSource(leaf.Certificate, host);
    }

    private static CertSpec Spec(string cn, string[] dns, string[] ips) =>
        new() { CommonName = cn, DnsNames = dns, IpAddresses = [.. ips.Select(IPAddress.Parse)] };

    private async Task<bool> SslStreamAcceptsAsync(string host, string cn, string[] dns, string[] ips)
    {
        using var leaf = pki.Leaf(Spec(cn, dns, ips));
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate] });
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.EndPoint);
        await using var ssl = new SslStream(tcp.GetStream());
        SslPolicyErrors? errors = null;
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = host.ToLowerInvariant(),
            RemoteCertificateValidationCallback = (_, _, _, e) =>
            {
                errors = e;
                return true;
            },
        });

        Assert.NotNull(errors);
        return (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
    }
}

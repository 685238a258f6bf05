using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using DbTls.Tests.Infrastructure;
using DbTls.Tls.HostNames;

namespace DbTls.Tests.Tls;

/// <summary>
/// SqlClient's first step is SslStream's own name check of the lower-cased Data Source host. Consult the
/// real thing: a raw SslStream handshake against the in-process server, reading RemoteCertificateNameMismatch,
/// must agree with the matcher (without HostNameInCertificate, where step 2 repeats the same name).
/// </summary>
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
    public async Task Matcher_agrees_with_SslStream(string host, string cn, string[] dns, string[] ips) =>
        Assert.Equal(await SslStreamAcceptsAsync(host, cn, dns, ips), Matcher(host, cn, dns, ips));

    /// <summary>
    /// Measured on .NET 10/Linux: SslStream's own name check accepts these, X509Certificate2.MatchesHostname
    /// (and so this matcher's step 1) does not. Known gap: step 1 is not yet bit for bit; when it is, these
    /// move to the agreement table above.
    /// </summary>
    [Theory]
    [InlineData("a.dbtls.test", "*.dbtls.test", new string[0], new string[0])] // CN wildcard, no SAN
    [InlineData("a.dbtls.test", "*.DBTLS.test", new string[0], new string[0])]
    [InlineData("127.0.0.1", "127.0.0.1", new string[0], new[] { "127.0.0.2" })] // IP host: CN despite an iPAddress SAN
    public async Task Known_gaps_where_SslStream_is_more_lenient(string host, string cn, string[] dns, string[] ips)
    {
        Assert.True(await SslStreamAcceptsAsync(host, cn, dns, ips));
        Assert.False(Matcher(host, cn, dns, ips));
    }

    /// <summary>Measured the other way round: MatchesHostname accepts a <c>*.com</c> SAN for example.com, SslStream does not.</summary>
    [Fact]
    public async Task Known_gap_where_SslStream_is_stricter()
    {
        string[] dns = ["*.com"];
        Assert.False(await SslStreamAcceptsAsync("example.com", "x", dns, []));
        Assert.True(Matcher("example.com", "x", dns, []));
    }

    private bool Matcher(string host, string cn, string[] dns, string[] ips)
    {
        using var leaf = pki.Leaf(Spec(cn, dns, ips));
        return SqlClientHostNameMatcher.Instance.Match(leaf.Certificate, host).IsMatch;
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

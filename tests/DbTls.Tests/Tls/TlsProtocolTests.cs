using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls;

namespace DbTls.Tests.Tls;

[Trait("Category", "Integration")]
[Collection("tls")]
public class TlsProtocolTests(TlsPki pki)
{
    [Fact]
    public async Task Server_limited_to_tls12_and_client_minimum_tls13()
    {
        using var leaf = pki.DbLeaf();
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate], Protocols = SslProtocols.Tls12 });
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy() with { MinProtocol = TlsProtocolVersion.Tls13 }, "db.test");

        Assert.Equal(FindingCodes.TlsProtocolVersion, connection.Failed.Code);
        Assert.Equal("the server does not support any TLS protocol version between TLSv1.3 and TLSv1.3 (tlsv1 alert protocol version)", connection.Failed.Message);
        Assert.Empty(connection.Report.Certificates);
        Assert.Null(connection.Report.Protocol);
    }

    [Fact]
    public async Task Server_limited_to_tls13_and_client_maximum_tls12()
    {
        using var leaf = pki.DbLeaf();
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Protocols = SslProtocols.Tls13 });
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy() with { MaxProtocol = TlsProtocolVersion.Tls12 }, "db.test");

        Assert.Equal(FindingCodes.TlsProtocolVersion, connection.Failed.Code);
        Assert.StartsWith("the server does not support any TLS protocol version between TLSv1.2 and TLSv1.2", connection.Failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alpn_is_negotiated_and_reported()
    {
        using var leaf = pki.DbLeaf();
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate], Alpn = ["postgresql"] });
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy() with { Alpn = ["postgresql"] }, "db.test");

        Assert.Equal("postgresql", connection.Ok.Report.Alpn);
    }

    [Fact]
    public async Task No_alpn_offered_means_none_reported()
    {
        using var leaf = pki.DbLeaf();
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate], Alpn = ["postgresql"] });
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy(), "db.test");

        Assert.Null(connection.Ok.Report.Alpn);
    }

    [Fact]
    public async Task Empty_version_range_is_a_configuration_error()
    {
        using var leaf = pki.DbLeaf();
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate });
        var policy = pki.RootPolicy() with { MinProtocol = TlsProtocolVersion.Tls13, MaxProtocol = TlsProtocolVersion.Tls12 };
        await using var connection = await Connection.OpenAsync(server.EndPoint, policy, "db.test");

        Assert.Equal(FindingCodes.ConfigInvalid, connection.Failed.Code);
        Assert.Contains("the TLS version range is empty", connection.Failed.Message, StringComparison.Ordinal);

        // Once the server has seen the connection end, everything the client sent has arrived: nothing.
        await connection.DisposeAsync();
        await server.WaitForConnectionClosedAsync();
        Assert.False(server.ClientHelloSeen);
        Assert.Equal(0, server.WireBytesReceived);
    }

    [Fact]
    public async Task Peer_that_does_not_speak_tls()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var peer = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            _ = await stream.ReadAsync(new byte[1024]); // the ClientHello, whatever its size
            await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8.ToArray());
            await Task.Delay(500);
        });

        await using var connection = await Connection.OpenAsync((IPEndPoint)listener.LocalEndpoint, pki.RootPolicy(), "db.test");
        Assert.Equal(FindingCodes.TlsHandshakeFailed, connection.Failed.Code);
        Assert.True(connection.Failed.Message.Contains("did not answer with TLS records", StringComparison.Ordinal), connection.Failed.Message + " | " + connection.Failed.InnerException);
        await peer;
    }

    [Fact]
    public async Task Peer_that_closes_during_the_handshake()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var peer = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            _ = await client.GetStream().ReadAsync(new byte[1024]);
        });

        await using var connection = await Connection.OpenAsync((IPEndPoint)listener.LocalEndpoint, pki.RootPolicy(), "db.test");
        Assert.Equal(FindingCodes.TlsHandshakeFailed, connection.Failed.Code);
        Assert.Contains("the connection broke during the TLS handshake", connection.Failed.Message, StringComparison.Ordinal);
        await peer;
    }

    [Theory]
    [InlineData(null, null, SslProtocols.Tls12 | SslProtocols.Tls13)]
    [InlineData(TlsProtocolVersion.Tls13, null, SslProtocols.Tls13)]
    [InlineData(null, TlsProtocolVersion.Tls12, SslProtocols.Tls12)]
    [InlineData(TlsProtocolVersion.Tls13, TlsProtocolVersion.Tls12, SslProtocols.None)]
#pragma warning disable SYSLIB0039 // legacy versions are part of the range mapping
    [InlineData(TlsProtocolVersion.Tls10, null, SslProtocols.Tls | SslProtocols.Tls11 | SslProtocols.Tls12 | SslProtocols.Tls13)]
    [InlineData(TlsProtocolVersion.Tls11, TlsProtocolVersion.Tls12, SslProtocols.Tls11 | SslProtocols.Tls12)]
#pragma warning restore SYSLIB0039
    public void Version_range_maps_to_ssl_protocols(TlsProtocolVersion? min, TlsProtocolVersion? max, SslProtocols expected) =>
        Assert.Equal(expected, TlsClient.ToSslProtocols(min, max));

    [Theory]
    [InlineData("db.test", true)]
    [InlineData("localhost", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.1", false)]
    [InlineData("1.2.3.4.5", false)]      // libpq: digits and dots only
    [InlineData("0x7f.0.0.1", false)]     // an inet_aton address
    [InlineData("::1", false)]
    [InlineData("[::1]", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Sni_is_sent_for_names_only(string? host, bool expected)
    {
        var policy = new TlsPolicy { Encryption = EncryptionMode.Required };
        Assert.Equal(expected, TlsClient.ShouldSendSni(policy, host));
        Assert.False(TlsClient.ShouldSendSni(policy with { SendSni = false }, "db.test"));
    }
}

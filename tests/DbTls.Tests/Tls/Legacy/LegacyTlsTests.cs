using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls;
using DbTls.Tls.Verification;

namespace DbTls.Tests.Tls.Legacy;

/// <summary>
/// TLS 1.0/1.1 against real OpenSSL servers that speak nothing newer: only an explicit opt-in in the
/// policy connects, the legacy path verifies exactly as the normal one, and nothing else in the process
/// changes.
/// </summary>
[Trait("Category", "Integration")]
[Collection("tls")]
public class LegacyTlsTests(TlsPki pki)
{
    [Theory]
    [InlineData(LegacyServers.Tls10, TlsProtocolVersion.Tls10, "TLSv1")]
    [InlineData(LegacyServers.Tls11, TlsProtocolVersion.Tls10, "TLSv1.1")]
    [InlineData(LegacyServers.Tls11, TlsProtocolVersion.Tls11, "TLSv1.1")]
    public async Task Opt_in_connects_to_a_legacy_only_server_and_warns(string serverVersion, TlsProtocolVersion min, string expected)
    {
        await using var server = await LegacyServers.StartAsync(pki, serverVersion);
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy() with { MinProtocol = min }, "db.test");

        var report = connection.Ok.Report;
        Assert.Equal(expected, report.Protocol);
        Assert.StartsWith("TLS_", report.CipherSuite, StringComparison.Ordinal);
        Assert.Equal("db.test", report.Sni);
        Assert.Equal(["CN=db.test, O=dbtls tests", "CN=dbtls Test Intermediate CA, O=dbtls tests"], report.Certificates.Select(c => c.Subject));
        Assert.Equal(
            [ValidationSteps.Certificate, ValidationSteps.Chain, ValidationSteps.Purpose, ValidationSteps.Revocation, ValidationSteps.Validity, ValidationSteps.Hostname],
            report.Validation.Select(s => s.Step));
        Assert.All(report.Validation.Where(s => s.Step != ValidationSteps.Revocation), s => Assert.Equal(ValidationSteps.Passed, s.Outcome));
        var warning = Assert.Single(connection.Ok.Findings, f => f.Code == FindingCodes.TlsWeakProtocol);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Contains(expected, warning.Message, StringComparison.Ordinal);

        // Application data really flows: s_server -rev answers each line reversed.
        Assert.Equal("olleh", await connection.RoundTripAsync("hello"));
    }

    [Theory]
    [InlineData(LegacyServers.Tls10, null)]
    [InlineData(LegacyServers.Tls11, null)]
    [InlineData(LegacyServers.Tls10, TlsProtocolVersion.Tls11)]
    public async Task Without_the_opt_in_a_legacy_only_server_is_refused(string serverVersion, TlsProtocolVersion? min)
    {
        await using var server = await LegacyServers.StartAsync(pki, serverVersion);
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy() with { MinProtocol = min }, "db.test");

        Assert.Equal(FindingCodes.TlsProtocolVersion, connection.Failed.Code);
        Assert.Contains("alert protocol version", connection.Failed.Message, StringComparison.Ordinal);
        Assert.Null(connection.Report.Protocol);
        var remedy = connection.Failed.ToFinding().Remedy;
        Assert.Contains("enable tls v1 = yes", remedy, StringComparison.Ordinal);
        Assert.Contains("sslProtocol=TLSv1", remedy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Legacy_path_still_rejects_a_certificate_from_another_root()
    {
        await using var server = await LegacyServers.StartAsync(pki, LegacyServers.Tls10);
        var policy = TlsPki.Policy(new TrustSource.PemFile(pki.OtherRootFile)) with { MinProtocol = TlsProtocolVersion.Tls10 };
        await using var connection = await Connection.OpenAsync(server.EndPoint, policy, "db.test");

        Assert.Equal(FindingCodes.CertUntrusted, connection.Failed.Code);
        Assert.Equal(ValidationSteps.Passed, connection.Step(ValidationSteps.Certificate));
        Assert.Equal(ValidationSteps.Failed, connection.Step(ValidationSteps.Chain));
        Assert.Null(connection.Report.Protocol);
        Assert.Equal(2, connection.Report.Certificates.Count);
    }

    [Fact]
    public async Task Legacy_path_still_checks_the_host_name()
    {
        await using var server = await LegacyServers.StartAsync(pki, LegacyServers.Tls10);
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy() with { MinProtocol = TlsProtocolVersion.Tls10 }, "other.test");

        Assert.Equal(FindingCodes.CertHostnameMismatch, connection.Failed.Code);
        Assert.Equal(ValidationSteps.Passed, connection.Step(ValidationSteps.Chain));
        Assert.Equal(ValidationSteps.Failed, connection.Step(ValidationSteps.Hostname));
    }

    [Fact]
    public async Task Legacy_range_against_a_server_too_new_for_it_is_a_protocol_version_failure()
    {
        // JDBC sslProtocol=TLSv1 allows TLS 1.0 only.
        await using var server = await LegacyServers.StartAsync(pki, "-tls1_2");
        var policy = pki.RootPolicy() with { MinProtocol = TlsProtocolVersion.Tls10, MaxProtocol = TlsProtocolVersion.Tls10 };
        await using var connection = await Connection.OpenAsync(server.EndPoint, policy, "db.test");

        Assert.Equal(FindingCodes.TlsProtocolVersion, connection.Failed.Code);
        Assert.StartsWith("the server does not support any TLS protocol version between TLSv1 and TLSv1 (", connection.Failed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-tls1_2", "TLSv1.2")]
    [InlineData("-tls1_3", "TLSv1.3")]
    [InlineData("", "TLSv1.3")]
    public async Task Opt_in_does_not_downgrade_a_modern_openssl_server(string serverVersion, string expected)
    {
        await using var server = await LegacyServers.StartAsync(pki, serverVersion);
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy() with { MinProtocol = TlsProtocolVersion.Tls10 }, "db.test");

        Assert.Equal(expected, connection.Ok.Report.Protocol);
        Assert.DoesNotContain(connection.Ok.Findings, f => f.Code == FindingCodes.TlsWeakProtocol);
        Assert.Equal("olleh", await connection.RoundTripAsync("hello"));
    }

    [Theory]
    [InlineData(SslProtocols.Tls12, "TLSv1.2")]
    [InlineData(SslProtocols.Tls13, "TLSv1.3")]
    public async Task Opt_in_against_a_modern_sslstream_server_sends_sni_and_alpn(SslProtocols serverProtocols, string expected)
    {
        using var leaf = pki.DbLeaf();
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate], Protocols = serverProtocols, Alpn = ["tds/8.0"] });
        var policy = pki.RootPolicy() with { MinProtocol = TlsProtocolVersion.Tls10, Alpn = ["tds/8.0"] };
        await using var connection = await Connection.OpenAsync(server.EndPoint, policy, "db.test");

        Assert.Equal(expected, connection.Ok.Report.Protocol);
        Assert.Equal("tds/8.0", connection.Ok.Report.Alpn);
        Assert.Equal("db.test", server.ReceivedSni);
        Assert.Equal("echo", await connection.RoundTripAsync("echo"));
    }

    [Fact]
    public async Task Sni_is_left_out_when_the_policy_says_so()
    {
        using var leaf = pki.DbLeaf();
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate], Protocols = SslProtocols.Tls12 });
        var policy = pki.RootPolicy() with { MinProtocol = TlsProtocolVersion.Tls10, SendSni = false };
        await using var connection = await Connection.OpenAsync(server.EndPoint, policy, "db.test");

        Assert.Equal("TLSv1.2", connection.Ok.Report.Protocol);
        Assert.Null(connection.Ok.Report.Sni);
        Assert.Null(server.ReceivedSni);
    }

    [Fact]
    public async Task Other_connections_in_the_process_keep_the_platform_rules()
    {
        await using var legacyServer = await LegacyServers.StartAsync(pki, LegacyServers.Tls10);
        await using var otherServer = await LegacyServers.StartAsync(pki, LegacyServers.Tls10);
        await using var legacy = await Connection.OpenAsync(legacyServer.EndPoint, pki.RootPolicy() with { MinProtocol = TlsProtocolVersion.Tls10 }, "db.test");
        Assert.Equal("TLSv1", legacy.Ok.Report.Protocol);

        // While the legacy session is open, a plain SslStream that even asks for TLS 1.0 still cannot have it:
        // the platform's OpenSSL settings were not lowered for the process.
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(otherServer.EndPoint);
            await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
#pragma warning disable SYSLIB0039 // asking for TLS 1.0 on purpose
            var options = new SslClientAuthenticationOptions { TargetHost = "db.test", EnabledSslProtocols = SslProtocols.Tls | SslProtocols.Tls11 | SslProtocols.Tls12 | SslProtocols.Tls13 };
#pragma warning restore SYSLIB0039
            await Assert.ThrowsAsync<AuthenticationException>(() => ssl.AuthenticateAsClientAsync(options));
        }

        Assert.Equal("olleh", await legacy.RoundTripAsync("hello"));
    }

    [Fact]
    public async Task A_read_and_a_write_may_be_in_flight_together_as_with_sslstream()
    {
        await using var server = await LegacyServers.StartAsync(pki, LegacyServers.Tls10);
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy() with { MinProtocol = TlsProtocolVersion.Tls10 }, "db.test");
        var stream = connection.Ok.Stream;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        // The read waits for the server's answer while the write that provokes it goes out (the server
        // writes only in answer, so the read cannot have completed before the write).
        var buffer = new byte[64];
        var read = stream.ReadAsync(buffer, timeout.Token).AsTask();
        Assert.False(read.IsCompleted);
        await stream.WriteAsync("abc\n"u8.ToArray(), timeout.Token);
        var count = await read;
        while (count == 0 || buffer[count - 1] != (byte)'\n')
        {
            count += await stream.ReadAsync(buffer.AsMemory(count), timeout.Token);
        }

        Assert.Equal("cba\n", System.Text.Encoding.ASCII.GetString(buffer, 0, count));
    }

    [Fact]
    public async Task A_silent_server_is_cancelled()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using var accepted = await listener.AcceptTcpClientAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            TlsClient.AuthenticateAsync(tcp.GetStream(), pki.RootPolicy() with { MinProtocol = TlsProtocolVersion.Tls10 }, new TlsTarget("db.test"), timeout.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");

        // The ClientHello went out before the wait: it offers TLS 1.0 (record version 0x0301).
        var hello = new byte[5];
        accepted.GetStream().ReadExactly(hello);
        Assert.Equal([0x16, 0x03, 0x01], hello[..3]);
    }

    [Fact]
    public async Task A_peer_that_closes_during_the_handshake_is_a_handshake_failure()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var peer = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            _ = await client.GetStream().ReadAsync(new byte[1024]);
        });

        await using var connection = await Connection.OpenAsync((IPEndPoint)listener.LocalEndpoint, pki.RootPolicy() with { MinProtocol = TlsProtocolVersion.Tls10 }, "db.test");
        Assert.Equal(FindingCodes.TlsHandshakeFailed, connection.Failed.Code);
        Assert.Contains("the connection broke during the TLS handshake", connection.Failed.Message, StringComparison.Ordinal);
        Assert.Equal(ValidationSteps.Skipped, connection.Step(ValidationSteps.Chain));
        await peer;
    }
}

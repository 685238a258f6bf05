using System.Net.Sockets;
using DbTls.Diagnostics;
using DbTls.Scan;
using DbTls.Tests.Infrastructure;
using static DbTls.Tests.Scan.ServerFlightBytes;

namespace DbTls.Tests.Scan;

/// <summary>
/// SSLv2 detection. No SSLv2 server exists on this machine (OpenSSL removed it in 1.1), so the positive case is a
/// server scripted from the SSLv2 specification; the negative cases are real OpenSSL servers.
/// </summary>
[Trait("Category", "Integration")]
public sealed class Sslv2ProbeTests(LocalhostCertificateFixture certificate) : IClassFixture<LocalhostCertificateFixture>
{
    [Fact]
    public async Task A_server_that_answers_SERVER_HELLO_is_found_and_is_a_legacy_version()
    {
        await using var server = new LoopbackListener(AnswerSslv2Async);

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.Port, new ScanOptions { Protocol = ScanProtocol.Tls, ProbeTimeout = TimeSpan.FromSeconds(2) }, CancellationToken.None);

        Assert.True(report.Sslv2);
        Assert.All(report.Versions, v => Assert.False(v.Accepted));
        Assert.Contains("SSLv2", Assert.Single(report.Findings, f => f.Code == FindingCodes.ScanLegacyVersion).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSSL_with_TLS_1_0_is_asked_and_does_not_speak_SSLv2()
    {
        await using var server = await ScanOpenSslServer.StartAsync(certificate.Leaf, "-cipher", "DEFAULT:@SECLEVEL=0", "-min_protocol", "TLSv1");

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.EndPoint.Port, new ScanOptions { Protocol = ScanProtocol.Tls }, CancellationToken.None);

        Assert.True(report.Versions.Single(v => v.Version == "TLSv1.0").Accepted);
        Assert.False(report.Sslv2);
    }

    [Fact]
    public async Task A_server_of_TLS_1_2_and_later_is_not_asked()
    {
        await using var server = await ScanOpenSslServer.StartAsync(certificate.Leaf);

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.EndPoint.Port, new ScanOptions { Protocol = ScanProtocol.Tls }, CancellationToken.None);

        Assert.Null(report.Sslv2);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x2E, 0x04 }, true)]  // two-byte header, SERVER-HELLO
    [InlineData(new byte[] { 0x80, 0x2E, 0x00 }, false)] // two-byte header, ERROR message
    [InlineData(new byte[] { 0x15, 0x03, 0x01 }, false)] // a TLS alert record
    [InlineData(new byte[] { 0x80, 0x2E }, false)]       // too short to tell
    public void Only_an_SSLv2_SERVER_HELLO_counts(byte[] first, bool expected) => Assert.Equal(expected, Sslv2Probe.IsServerHello(first));

    [Fact]
    public void The_CLIENT_HELLO_is_a_two_byte_header_record_of_version_2()
    {
        var hello = Sslv2Probe.ClientHello();

        Assert.Equal(0x80, hello[0] & 0x80);
        Assert.Equal(hello.Length - 2, ((hello[0] & 0x7F) << 8) | hello[1]);
        Assert.Equal([1, 0x00, 0x02], hello[2..5]);
        Assert.Equal(9 + 21 + 16, hello.Length - 2); // fixed fields, seven 3-byte cipher kinds, the challenge
    }

    /// <summary>SERVER-HELLO (session id hit 0, certificate type X.509, version 2, one cipher kind, a connection id) to an SSLv2 hello; a handshake_failure alert to anything else.</summary>
    private static async Task AnswerSslv2Async(TcpClient client, CancellationToken stop)
    {
        using (client)
        {
            var stream = client.GetStream();
            var first = new byte[2];
            await stream.ReadExactlyAsync(first, stop);
            if ((first[0] & 0x80) == 0)
            {
                await stream.WriteAsync(Alert(40), stop);
                return;
            }

            await stream.ReadExactlyAsync(new byte[((first[0] & 0x7F) << 8) | first[1]], stop);
            byte[] certificate = [0x30, 0x03, 0x02, 0x01, 0x00];
            byte[] connectionId = new byte[16];
            byte[] body = [4, 0, 1, 0x00, 0x02, 0x00, (byte)certificate.Length, 0x00, 0x03, 0x00, (byte)connectionId.Length, .. certificate, 0x01, 0x00, 0x80, .. connectionId];
            await stream.WriteAsync((byte[])[(byte)(0x80 | (body.Length >> 8)), (byte)body.Length, .. body], stop);
        }
    }
}

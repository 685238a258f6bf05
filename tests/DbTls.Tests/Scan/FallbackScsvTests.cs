using System.Buffers.Binary;
using System.Net.Sockets;
using DbTls.Scan;
using DbTls.Tests.Infrastructure;
using static DbTls.Tests.Scan.ServerFlightBytes;

namespace DbTls.Tests.Scan;

/// <summary>
/// TLS_FALLBACK_SCSV: the scan's answer equals sslscan's on OpenSSL servers (which support it), and a server that
/// ignores the signal is reported as not supporting it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FallbackScsvTests(LocalhostCertificateFixture certificate) : IClassFixture<LocalhostCertificateFixture>
{
    public static TheoryData<string, string[]> OpenSslServers => new()
    {
        { "TLS 1.2 and 1.3", [] },
        { "TLS 1.2 only", ["-max_protocol", "TLSv1.2"] },
        { "TLS 1.0 to 1.2", ["-cipher", "DEFAULT:@SECLEVEL=0", "-min_protocol", "TLSv1", "-max_protocol", "TLSv1.2"] },
    };

    [Theory]
    [MemberData(nameof(OpenSslServers))]
    public async Task Fallback_SCSV_support_equals_sslscan(string name, string[] arguments)
    {
        await using var server = await ScanOpenSslServer.StartAsync(certificate.Leaf, arguments);

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.EndPoint.Port, new ScanOptions { Protocol = ScanProtocol.Tls }, CancellationToken.None);
        var sslscan = await ProcessRunner.RunAsync("sslscan", ["--no-colour", "--no-ciphersuites", "--no-groups", "--no-heartbleed", "--no-renegotiation", "--no-compression", "--no-check-certificate", $"127.0.0.1:{server.EndPoint.Port}"], TimeSpan.FromSeconds(60));

        var sslscanSays = sslscan.Stdout.Contains("Server supports TLS Fallback SCSV", StringComparison.Ordinal) ? true
            : sslscan.Stdout.Contains("Server does not support TLS Fallback SCSV", StringComparison.Ordinal) ? false
            : (bool?)null;
        Assert.NotNull(sslscanSays);
        Assert.True(sslscanSays == report.Extensions!.FallbackScsv, $"{name}: sslscan {sslscanSays}, dbtls {report.Extensions.FallbackScsv}");
    }

    [Fact]
    public async Task A_server_that_ignores_the_signal_does_not_support_it()
    {
        await using var server = new LoopbackListener((client, stop) => AnswerEveryHelloAsync(client, certificate.Leaf.Certificate.RawData, stop));

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.Port, new ScanOptions { Protocol = ScanProtocol.Tls }, CancellationToken.None);

        Assert.True(report.Versions.Single(v => v.Version == "TLSv1.2").Accepted);
        Assert.False(report.Extensions!.FallbackScsv);
    }

    [Fact]
    public async Task A_server_with_nothing_above_TLS_1_0_cannot_be_asked()
    {
        await using var server = await ScanOpenSslServer.StartAsync(certificate.Leaf, "-cipher", "DEFAULT:@SECLEVEL=0", "-min_protocol", "TLSv1", "-max_protocol", "TLSv1");

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.EndPoint.Port, new ScanOptions { Protocol = ScanProtocol.Tls }, CancellationToken.None);

        Assert.True(report.Versions.Single(v => v.Version == "TLSv1.0").Accepted);
        Assert.Null(report.Extensions!.FallbackScsv);
    }

    /// <summary>
    /// Answers any ClientHello of TLS 1.0 to 1.2 (up to the legacy version it offers) with TLS_RSA_WITH_AES_128_CBC_SHA
    /// when offered, a certificate and ServerHelloDone, never looking at TLS_FALLBACK_SCSV; refuses everything else.
    /// </summary>
    private static async Task AnswerEveryHelloAsync(TcpClient client, byte[] certificate, CancellationToken stop)
    {
        using (client)
        {
            var stream = client.GetStream();
            var header = new byte[5];
            await stream.ReadExactlyAsync(header, stop);
            var hello = new byte[(header[3] << 8) | header[4]];
            await stream.ReadExactlyAsync(hello, stop);
            var version = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(hello.AsSpan(4)), (ushort)0x0303);
            var at = 4 + 2 + 32;
            at += 1 + hello[at];
            var suites = hello.AsSpan(at + 2, BinaryPrimitives.ReadUInt16BigEndian(hello.AsSpan(at)));
            var offered = false;
            for (var i = 0; i + 1 < suites.Length; i += 2)
            {
                offered |= BinaryPrimitives.ReadUInt16BigEndian(suites[i..]) == 0x002F;
            }

            await stream.WriteAsync(
                offered && version >= 0x0301 ? Record(22, [.. ServerHello(version, 0x002F), .. Certificate(certificate), .. ServerHelloDone]) : Alert(40),
                stop);
        }
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using DbTls.Diagnostics;
using DbTls.Scan;
using DbTls.Tests.Infrastructure;
using static DbTls.Tests.Scan.ServerFlightBytes;

namespace DbTls.Tests.Scan;

/// <summary>Servers that answer a ClientHello with something that is not a TLS answer: the scan ends with a stable code, in bounded time.</summary>
[Trait("Category", "Integration")]
public sealed class HostileScanTests
{
    private static readonly ScanOptions Quick = new() { Protocol = ScanProtocol.Tls, ProbeTimeout = TimeSpan.FromMilliseconds(600) };

    public static TheoryData<string, string> Answers => new()
    {
        { "garbage", FindingCodes.ScanInvalidAnswer },
        { "truncated-server-hello", FindingCodes.ScanInvalidAnswer },
        { "record-header-64k", FindingCodes.ScanInvalidAnswer },
        { "handshake-16mib", FindingCodes.ScanInvalidAnswer },
        { "reset-mid-hello", FindingCodes.ScanInvalidAnswer },
        { "silence", FindingCodes.ScanNoAnswer },
        { "close", FindingCodes.ScanNoTls },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task A_hostile_answer_ends_as_a_finding_without_hanging(string answer, string code)
    {
        await using var server = new LoopbackListener((client, stop) => AnswerAsync(client, answer, stop));
        var clock = Stopwatch.StartNew();

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.Port, Quick, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains(report.Findings, f => f.Code == code);
        Assert.All(report.Versions, v => Assert.False(v.Accepted));
        Assert.Equal(1, report.ExitCode);
        Assert.DoesNotContain(report.Findings, f => f.Message.Contains("Exception", StringComparison.Ordinal));
        // Five version probes in parallel, each bounded by the 0.6 s probe limit.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{answer}: {clock.Elapsed}");
    }

    [Fact]
    public async Task A_closed_port_is_unreachable_with_the_network_exit_code()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var report = await TlsScanner.ScanAsync("127.0.0.1", port, Quick, CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Code == FindingCodes.NetUnreachable);
        Assert.Equal(ExitCodes.Network, report.ExitCode);
    }

    private static async Task AnswerAsync(TcpClient client, string answer, CancellationToken stop)
    {
        using (client)
        {
            var stream = client.GetStream();
            var header = new byte[5];
            await stream.ReadExactlyAsync(header, stop);
            await stream.ReadExactlyAsync(new byte[(header[3] << 8) | header[4]], stop);
            switch (answer)
            {
                case "garbage":
                    await stream.WriteAsync("-ERR unknown command\r\n"u8.ToArray(), stop);
                    break;
                case "truncated-server-hello":
                    await stream.WriteAsync(Record(22, ServerHello(0x0303, 0xC02F))[..30], stop);
                    break;
                case "record-header-64k":
                    await stream.WriteAsync(new byte[] { 22, 3, 3, 0xFF, 0xFF, 2, 0, 0 }, stop);
                    break;
                case "handshake-16mib":
                    await stream.WriteAsync(Record(22, [2, 0xFF, 0xFF, 0xFF, 3, 3, 0, 0]), stop);
                    break;
                case "reset-mid-hello":
                    await stream.WriteAsync(Record(22, ServerHello(0x0303, 0xC02F))[..12], stop);
                    await stream.FlushAsync(stop);
                    client.Client.LingerState = new LingerOption(true, 0);
                    client.Client.Close();
                    return;
                case "silence":
                    await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);
                    return;
            }

            if (answer != "close")
            {
                // Keep the connection open: the scan must decide from the bytes, not from the close.
                await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}

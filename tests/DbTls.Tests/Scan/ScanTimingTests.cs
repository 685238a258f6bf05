using System.Diagnostics;
using System.Net.Sockets;
using DbTls.Diagnostics;
using DbTls.Scan;
using DbTls.Tests.Infrastructure;
using static DbTls.Tests.Scan.ServerFlightBytes;

namespace DbTls.Tests.Scan;

/// <summary>The engine's limits: the wait for an answer adapts to the server, and the connection count it reports is the server's.</summary>
[Trait("Category", "Integration")]
public sealed class ScanTimingTests
{
    [Fact]
    public async Task A_silent_server_costs_the_adaptive_wait_not_the_whole_probe_timeout()
    {
        await using var server = new LoopbackListener(async (client, stop) =>
        {
            using (client)
            {
                await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
        var options = new ScanOptions { Protocol = ScanProtocol.Tls, ProbeTimeout = TimeSpan.FromSeconds(60) };
        var clock = Stopwatch.StartNew();

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.Port, options, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains(report.Findings, f => f.Code == FindingCodes.ScanNoAnswer);
        // Loopback connects in well under a millisecond, so each probe waits the 1.5 s floor; five versions in parallel.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"{clock.Elapsed}");
        Assert.Contains("1.5 s", report.Findings.Single(f => f.Code == FindingCodes.ScanNoAnswer).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reported_connection_count_is_what_the_server_accepted()
    {
        var accepted = 0;
        await using var server = new LoopbackListener(async (client, stop) =>
        {
            Interlocked.Increment(ref accepted);
            using (client)
            {
                var stream = client.GetStream();
                var header = new byte[5];
                try
                {
                    await stream.ReadExactlyAsync(header, stop);
                    await stream.ReadExactlyAsync(new byte[(header[3] << 8) | header[4]], stop);
                    await stream.WriteAsync(Alert(70), stop);
                    await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);
                }
                catch (Exception ex) when (ex is IOException or EndOfStreamException or SocketException or OperationCanceledException)
                {
                    // The connection opened ahead and closed unused sends no ClientHello.
                }
            }
        });

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.Port, new ScanOptions { Protocol = ScanProtocol.Tls }, CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Code == FindingCodes.ScanNoTls);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Volatile.Read(ref accepted) < report.Connections && !wait.IsCancellationRequested)
        {
            await Task.Delay(10, CancellationToken.None);
        }

        Assert.Equal(report.Connections, Volatile.Read(ref accepted));
        // One probe per version but TLS 1.2, whose three suite chains start at once (one refusal each), plus at most the
        // one connection opened ahead: a chain refused at its first offer opens none ahead.
        // And the SSLv2 question a server that refused every TLS version gets.
        Assert.InRange(report.Connections, 8, 9);
    }
}

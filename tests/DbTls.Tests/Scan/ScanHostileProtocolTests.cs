using System.Diagnostics;
using System.Net.Sockets;
using DbTls.Scan;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Scan;

/// <summary>
/// Hostile servers on the database ways in (SSLRequest, PRELOGIN): garbage, truncation, silence and resets before
/// or inside the TLS answer end as a stable finding in bounded time, never as an exception or a hang, and the
/// protocol facts come out without one either.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ScanHostileProtocolTests
{
    // Long enough that a loaded machine still sees the answers that do come; the silent cases cost about this much.
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    /// <summary>Each server and what the finding must say about it (the code is checked to be a catalogued one; see the remarks).</summary>
    /// <remarks>
    /// A way in that fails before TLS (answer X, silence, close, a broken PRELOGIN) ends every probe as "no entry",
    /// which the engine's findings (ScanFindings.NoTls) currently file under net.unreachable although the server was
    /// reached; the message names what the server did. Once TLS has begun the engine judges the answer (scan.invalid-answer, scan.no-tls).
    /// </remarks>
    public static TheoryData<string, string, string?> PostgresServers => new()
    {
        { "answers X to the SSLRequest", "invalid answer to the SSLRequest: byte 0x58", "X" },
        { "silent after the SSLRequest", "no connection through the postgres way in", null },
        { "closes after the SSLRequest", "closed the connection before answering the SSLRequest", null },
        { "S, then garbage", "does not start with a TLS record", "S" },
        { "S, then half a ServerHello and a reset", "stopped after 14 byte(s), in the middle of its answer", "S" },
    };

    [Theory]
    [MemberData(nameof(PostgresServers))]
    public async Task A_hostile_PostgreSQL_way_in_ends_as_a_finding(string behaviour, string says, string? answer)
    {
        await using var server = new LoopbackListener((client, stop) => PostgresAsync(client, behaviour, stop));

        var report = await TimedScanAsync(server.Port, ScanProtocol.Postgres, says);

        Assert.Equal(answer, report.Postgres?.SslRequestAnswer);
        Assert.Null(report.Postgres?.PlaintextStartupAccepted);

    }

    public static TheoryData<TdsServerMisbehavior, string, bool> TdsServers => new()
    {
        { TdsServerMisbehavior.Silent, "no connection through the tds way in", false },
        { TdsServerMisbehavior.TruncatedPreLogin, "the connection closed after 13 of the 35 payload bytes", false },
        { TdsServerMisbehavior.OversizedPreLogin, "exceeds the maximum of 4096 bytes", false },
        { TdsServerMisbehavior.MalformedPreLogin, "PRELOGIN: option 0x01 points at bytes", false },
        { TdsServerMisbehavior.CloseAfterPreLogin, "closed the connection without answering the ClientHello", true },
        { TdsServerMisbehavior.ErrorInsteadOfTls, "not a TLS record inside the TLS handshake packets", true },
    };

    [Theory]
    [MemberData(nameof(TdsServers))]
    public async Task A_hostile_TDS_way_in_ends_as_a_finding(TdsServerMisbehavior misbehavior, string says, bool preLoginAnswered)
    {
        using var certs = new TdsTestCertificates();
        await using var server = TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions { Encryption = PreLoginEncryption.On, Strict = TdsStrictMode.Disallowed, Misbehavior = misbehavior }));

        var report = await TimedScanAsync(server.Port, ScanProtocol.Tds, says);

        var answers = Assert.IsType<TdsScanFacts>(report.Tds).EncryptionAnswers.Values;
        Assert.All(answers, a => Assert.Equal(preLoginAnswered, a != "no answer"));
    }

    private static async Task<ScanReport> TimedScanAsync(int port, ScanProtocol protocol, string says)
    {
        var clock = Stopwatch.StartNew();
        var report = await ScanLoopback.ScanAsync(port, protocol, Limit).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"{clock.Elapsed}");
        Assert.All(report.Versions, v => Assert.False(v.Accepted));
        Assert.NotEqual(0, report.ExitCode);
        Assert.DoesNotContain(report.Findings, f => f.Message.Contains("Exception", StringComparison.Ordinal));
        var finding = Assert.Single(report.Findings, f => f.Message.Contains(says, StringComparison.Ordinal));
        Assert.Contains(DbTls.Diagnostics.FindingCatalog.All, e => e.Code == finding.Code);
        return report;
    }

    private static async Task PostgresAsync(TcpClient client, string behaviour, CancellationToken stop)
    {
        using (client)
        {
            var stream = client.GetStream();
            try
            {
                var first = new byte[8];
                await stream.ReadExactlyAsync(first, stop);
                switch (behaviour)
                {
                    case "answers X to the SSLRequest":
                        await stream.WriteAsync("X"u8.ToArray(), stop);
                        break;
                    case "closes after the SSLRequest":
                        return;
                    case "S, then garbage":
                        await stream.WriteAsync("S"u8.ToArray(), stop);
                        _ = await stream.ReadAsync(new byte[4096], stop);
                        await stream.WriteAsync("-ERR unknown command\r\n"u8.ToArray(), stop);
                        break;
                    case "S, then half a ServerHello and a reset":
                        await stream.WriteAsync("S"u8.ToArray(), stop);
                        _ = await stream.ReadAsync(new byte[4096], stop);
                        await stream.WriteAsync(new byte[] { 22, 3, 3, 0, 80, 2, 0, 0, 76, 3, 3, 1, 2, 3 }, stop);
                        await stream.FlushAsync(stop);
                        client.Client.LingerState = new LingerOption(true, 0);
                        client.Client.Close();
                        return;
                }

                // Keep the connection open: the scan must decide from the bytes, not from a close.
                await Task.Delay(Timeout.Infinite, stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or EndOfStreamException)
            {
                // The test server stops, or the scan hung up.
            }
        }
    }
}

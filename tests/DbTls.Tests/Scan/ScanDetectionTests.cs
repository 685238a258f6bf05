using System.Diagnostics;
using System.Net.Sockets;
using DbTls.Diagnostics;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Mongo;
using DbTls.Tests.Servers.Postgres;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Scan;

/// <summary>
/// host:port without --protocol: what answers an SSLRequest, a PRELOGIN, a plaintext hello or a ClientHello
/// decides the path, on each kind of server the project runs; a silent or garbage port ends as a stable finding
/// in bounded time.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ScanDetectionTests(TdsTestCertificates certs) : IClassFixture<TdsTestCertificates>
{
    private static readonly TimeSpan Quick = TimeSpan.FromMilliseconds(1500);

    public static TheoryData<string, string> TdsServers => new()
    {
        { "7.x only", "tds" },
        { "7.x and strict", "tds" },
        { "strict only", "tds-strict" },
    };

    [Theory]
    [MemberData(nameof(TdsServers))]
    public async Task A_TDS_server_is_detected_by_its_PRELOGIN_answer_or_its_strict_ALPN(string mode, string expected)
    {
        var strict = mode switch
        {
            "7.x only" => TdsStrictMode.Disallowed,
            "strict only" => TdsStrictMode.Required,
            _ => TdsStrictMode.Allowed,
        };
        await using var server = TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions { Encryption = PreLoginEncryption.Off, Strict = strict }));

        var report = await ScanLoopback.ScanAsync(server.Port, protocol: null);

        Assert.True(report.ProtocolDetected);
        Assert.Equal(expected, report.Protocol);
        Assert.NotNull(report.Tds);
        Assert.Contains(report.Versions, v => v.Accepted);
    }

    [Fact]
    public async Task A_MongoDB_server_is_detected_with_TLS_and_without()
    {
        using var mongoCerts = new MongoTestCertificates();
        await using var tls = MongoTestServer.Start(new MongoTestServerOptions { Certificate = mongoCerts.Server.Certificate });
        await using var plaintext = MongoTestServer.Start(new MongoTestServerOptions());

        var overTls = await ScanLoopback.ScanAsync(tls.Port, protocol: null);
        var clock = Stopwatch.StartNew();
        var inClear = await ScanLoopback.ScanAsync(plaintext.Port, protocol: null);

        Assert.Equal("mongodb", overTls.Protocol);
        Assert.True(overTls.Mongo?.ImplicitTls);
        Assert.Equal("mongodb", inClear.Protocol);
        Assert.True(inClear.Mongo?.PlaintextHelloAnswered);
        // The plaintext server stays silent to the SSLRequest; its hello answer decides without waiting for that.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"{clock.Elapsed}");
    }

    [Fact]
    public async Task A_plain_TLS_server_is_detected_as_tls()
    {
        using var certificate = new LocalhostCertificateFixture();
        await using var server = await ScanOpenSslServer.StartAsync(certificate.Leaf, "-max_protocol", "TLSv1.2");

        var report = await ScanLoopback.ScanAsync(server.EndPoint.Port, protocol: null);

        Assert.True(report.ProtocolDetected);
        Assert.Equal("tls", report.Protocol);
        Assert.Contains(report.Versions, v => v.Version == "TLSv1.2" && v.Accepted);
    }

    /// <summary>
    /// Ports that are no database: silent, an HTTP-style error to anything, an SSH-style banner (which starts with the 'S'
    /// PostgreSQL answers), an echo (which sends a MongoDB hello back, with responseTo 0 instead of the request's id).
    /// </summary>
    public static TheoryData<string> HostilePorts => new() { "silent", "garbage", "banner", "echo" };

    [Theory]
    [MemberData(nameof(HostilePorts))]
    public async Task A_port_that_answers_nothing_a_database_says_ends_as_a_finding_in_bounded_time(string behaviour)
    {
        await using var server = new LoopbackListener((client, stop) => HostileAsync(client, behaviour, stop));
        var clock = Stopwatch.StartNew();

        var report = await ScanLoopback.ScanAsync(server.Port, protocol: null, Quick).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(report.ProtocolDetected);
        Assert.Equal("unknown", report.Protocol);
        Assert.Equal(FindingCodes.ScanProtocolUnknown, Assert.Single(report.Findings).Code);
        Assert.Equal(ExitCodes.Rejected, report.ExitCode);
        Assert.Empty(report.Versions);
        Assert.DoesNotContain(report.Findings, f => f.Message.Contains("Exception", StringComparison.Ordinal));
        // Detection (one limit) and the parallel version probes (a few limits), nothing unbounded.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(12), $"{behaviour}: {clock.Elapsed}");
    }

    [Fact]
    public async Task A_closed_port_is_unreachable()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var report = await ScanLoopback.ScanAsync(port, protocol: null, Quick);

        Assert.Contains(report.Findings, f => f.Code == FindingCodes.NetUnreachable);
        Assert.Equal(ExitCodes.Network, report.ExitCode);
    }

    private static async Task HostileAsync(TcpClient client, string behaviour, CancellationToken stop)
    {
        using (client)
        {
            var stream = client.GetStream();
            try
            {
                if (behaviour == "echo")
                {
                    var buffer = new byte[4096];
                    int read;
                    while ((read = await stream.ReadAsync(buffer, stop)) > 0)
                    {
                        await stream.WriteAsync(buffer.AsMemory(0, read), stop);
                    }
                }
                else if (behaviour == "banner")
                {
                    await stream.WriteAsync("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"u8.ToArray(), stop);
                }
                else if (behaviour == "garbage")
                {
                    // Whatever comes, an answer that is no database's and no TLS record: an HTTP error line.
                    _ = await stream.ReadAsync(new byte[512], stop);
                    await stream.WriteAsync("HTTP/1.0 400 Bad Request\r\n\r\n"u8.ToArray(), stop);
                }

                await Task.Delay(Timeout.Infinite, stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                // The test server stops, or the scan hung up.
            }
        }
    }
}

[Collection(Postgres18Collection.Name)]
[Trait("Category", "Integration")]
public sealed class ScanDetectionPostgresTests(Postgres18Fixture pg)
{
    [Fact]
    public async Task PostgreSQL_is_detected_by_its_SSLRequest_answer_even_with_ssl_off()
    {
        await pg.Server.RestoreDefaultsAsync();
        var withTls = await ScanLoopback.ScanAsync(pg.Server.Port, protocol: null);
        await pg.Server.ReloadAsync(new PostgresTlsSettings { Ssl = false });
        try
        {
            var withoutTls = await ScanLoopback.ScanAsync(pg.Server.Port, protocol: null);

            Assert.Equal("postgres", withTls.Protocol);
            Assert.True(withTls.ProtocolDetected);
            Assert.True(withTls.Postgres?.DirectTls);
            Assert.Equal("postgres", withoutTls.Protocol);
            Assert.Equal("N", withoutTls.Postgres?.SslRequestAnswer);
        }
        finally
        {
            await pg.Server.RestoreDefaultsAsync();
        }
    }
}

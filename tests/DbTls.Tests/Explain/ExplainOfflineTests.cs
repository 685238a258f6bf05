using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DbTls.Dialects;
using DbTls.Tests.Cli;

namespace DbTls.Tests.Explain;

/// <summary><c>dbtls explain</c> opens no connection and asks no DNS server, whatever the string names.</summary>
[Trait("Category", "Integration")]
public sealed class ExplainOfflineTests
{
    [Fact]
    public async Task Explain_never_connects_to_the_host()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        foreach (var text in new[]
        {
            $"host=127.0.0.1 port={port} sslmode=require",
            $"Server=127.0.0.1,{port};Encrypt=Mandatory",
            $"jdbc:sqlserver://127.0.0.1:{port};encrypt=true",
            $"mongodb://127.0.0.1:{port}/?tls=true",
        })
        {
            var result = await CliRun.RunAsync(["explain", text]);
            Assert.NotEqual(2, result.ExitCode);
        }

        // A connect the command made would have completed its TCP handshake before the command returned and sit in the backlog.
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task Explain_of_a_srv_string_asks_no_dns_server()
    {
        var asked = 0;
        var result = await CliRun.RunAsync(
            ["explain", "mongodb+srv://cluster.example.com/?tls=true"],
            configure: host => host with { MongoDns = _ => { Interlocked.Increment(ref asked); return null; } });

        Assert.Equal(0, asked);
        Assert.Contains("cluster.example.com", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void The_default_dialects_can_all_be_explained() =>
        Assert.All(DialectRegistry.Default.Dialects, d => Assert.IsAssignableFrom<IDescribableDialect>(d));
}

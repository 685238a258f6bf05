using System.Net;
using System.Net.Sockets;
using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Checks.Mongo;

namespace DbTls.Tests.Dialects.Mongo;

/// <summary>
/// A valid SOCKS5 proxy configuration is refused by the check: the driver would tunnel through the proxy, so a
/// direct connection would test another path. The spec's validity rules themselves run in <see cref="MongoSpecUriTests"/>.
/// </summary>
public class MongoProxyTests
{
    [Theory]
    [InlineData("proxyHost=socks.example")]
    [InlineData("proxyHost=socks.example&proxyPort=1081&proxyUsername=pu&proxyPassword=Pr0xy-Pw")]
    public async Task The_check_refuses_a_proxy_before_connecting_to_the_server(string proxy)
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;

        var report = await MongoCheckHarness.CheckAsync($"mongodb://alice:Alice-Pw@127.0.0.1:{port}/?tls=true&{proxy}");

        Assert.Equal(Verdicts.Failed, report.Verdict);
        var failure = MongoCheckHarness.Failure(report);
        Assert.Equal(FindingCodes.ConfigInvalid, failure.Code);
        Assert.Contains("proxyHost=socks.example", failure.Message, StringComparison.Ordinal);
        Assert.Contains("does not support proxies", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Pr0xy-Pw", failure.Message + failure.Remedy, StringComparison.Ordinal);

        // The check has returned: had it connected, the connection would be waiting in the listener's backlog now.
        Assert.False(server.Pending(), "the check connected to the server although a proxy was configured");
    }

    [Fact]
    public async Task Without_a_proxy_the_same_check_does_connect()
    {
        // The control for the test above: the same URI without proxy options reaches the listener.
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        var accept = server.AcceptTcpClientAsync();

        var check = MongoCheckHarness.CheckAsync($"mongodb://alice:Alice-Pw@127.0.0.1:{port}/?tls=true", timeout: TimeSpan.FromSeconds(5));
        using var client = await accept.WaitAsync(TimeSpan.FromSeconds(30));
        client.Close();
        var report = await check;
        Assert.NotEqual(FindingCodes.ConfigInvalid, MongoCheckHarness.Failure(report).Code);
    }
}

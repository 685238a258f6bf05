using System.Net;
using DbTls.Tests.Infrastructure;
using DnsClient;

namespace DbTls.Tests.Servers.Dns;

/// <summary>The dnsmasq harness itself: it answers its zone, drops root, and leaves nothing behind.</summary>
[Trait("Category", "Integration")]
public sealed class DnsmasqServerTests
{
    [Fact]
    public async Task Serves_its_zone_unprivileged_and_stops_on_dispose()
    {
        var dns = await DnsmasqServer.StartAsync(new DnsZone().Local("harness.test").Host("h.harness.test", IPAddress.Parse("127.0.0.9")));
        var pid = dns.Pid;
        try
        {
            var client = new LookupClient(new LookupClientOptions(dns.EndPoint) { UseCache = false, Retries = 0 });
            var answer = await client.QueryAsync("h.harness.test", QueryType.A);
            Assert.Equal([IPAddress.Parse("127.0.0.9")], answer.Answers.ARecords().Select(a => a.Address));
            Assert.True(await dns.SawQueryAsync("A h.harness.test"), dns.Log);

            // Run as root (CI), dnsmasq must not keep root: it switches to nobody once its socket is bound.
            // Not root, it simply stays the user who started it.
            var expected = UnixAccounts.IsRoot ? UnixAccounts.Lookup("nobody")!.Value.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture) : Uid("self");
            Assert.Equal(expected, Uid(pid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        finally
        {
            await dns.DisposeAsync();
        }

        Assert.False(ProcessTable.IsAlive(pid));
    }

    /// <summary>The real uid of a process, from /proc.</summary>
    private static string Uid(string process) =>
        File.ReadAllLines($"/proc/{process}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[1];
}

using System.Net;

namespace DbTls.Tests.Servers.Dns;

/// <summary>
/// One dnsmasq for a test class, serving the records the seedlist discovery tests need under
/// <c>example.test</c> (answered NXDOMAIN when a name has nothing) and nothing else (REFUSED elsewhere).
/// </summary>
public sealed class DnsmasqFixture : IAsyncLifetime
{
    public const string Domain = "example.test";

    private DnsmasqServer? _server;

    public DnsmasqServer Server => _server ?? throw new InvalidOperationException("dnsmasq is not started");

    /// <summary>The zone: each SRV name is a separate case, named for what it tests.</summary>
    public static DnsZone Zone()
    {
        var zone = new DnsZone().Local(Domain)
            // A well-formed cluster: two hosts, options in TXT.
            .Srv("_mongodb._tcp.cluster0.example.test", "a.example.test", 27017, priority: 0, weight: 5)
            .Srv("_mongodb._tcp.cluster0.example.test", "b.example.test", 27018, priority: 1, weight: 0)
            .Txt("cluster0.example.test", "replicaSet=rs0&authSource=admin")
            .Srv("_customname._tcp.cluster0.example.test", "c.example.test", 27019)
            .Host("a.example.test", IPAddress.Loopback)
            .Host("b.example.test", IPAddress.Parse("127.0.0.2"), IPAddress.IPv6Loopback)
            // One TXT record of three character strings, concatenated by the client.
            .Srv("_mongodb._tcp.split.example.test", "a.example.test", 27017)
            .Txt("split.example.test", "replicaSet=rs", "1&authSource=adm", "in")
            // Two TXT records.
            .Srv("_mongodb._tcp.twotxt.example.test", "a.example.test", 27017)
            .Txt("twotxt.example.test", "replicaSet=rs0")
            .Txt("twotxt.example.test", "authSource=admin")
            // TXT that tries to turn TLS off, and TXT with an option DNS may not set.
            .Srv("_mongodb._tcp.tlsoff.example.test", "a.example.test", 27017)
            .Txt("tlsoff.example.test", "tls=false")
            .Srv("_mongodb._tcp.ssloff.example.test", "a.example.test", 27017)
            .Txt("ssloff.example.test", "ssl=false")
            .Srv("_mongodb._tcp.badopt.example.test", "a.example.test", 27017)
            .Txt("badopt.example.test", "replicaSet=rs0&connectTimeoutMS=300000")
            // SRV targets outside the domain: another domain, the parent domain, a look-alike suffix.
            .Srv("_mongodb._tcp.other.example.test", "db.attacker.test", 27017)
            .Srv("_mongodb._tcp.cluster1.sub.example.test", "host.example.test", 27017)
            .Srv("_mongodb._tcp.lookalike.example.test", "a.example.test.attacker.test", 27017)
            // The SRV name exists (it has a TXT record) but holds no SRV record: NOERROR, no answer.
            .Txt("_mongodb._tcp.nodata.example.test", "not-srv");

        // Many hosts: srvMaxHosts picks some; 40 long names also outgrow a 512-byte UDP answer.
        for (var i = 0; i < 40; i++)
        {
            zone.Srv("_mongodb._tcp.many.example.test", $"shard-{i:D2}-with-a-long-host-name-label.example.test", 27000 + i);
        }

        return zone;
    }

    public async Task InitializeAsync() => _server = await DnsmasqServer.StartAsync(Zone());

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

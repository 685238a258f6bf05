using System.Net;
using System.Text.Json;
using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Tests.Servers.Dns;

namespace DbTls.Tests.Dialects.Mongo;

/// <summary>
/// Runs every case of the Initial DNS Seedlist Discovery specification's test files (from the checkout named by
/// DBTLS_MONGO_SPEC_DIR, initial-dns-seedlist-discovery/tests) through <see cref="MongoSeedlistDiscovery.ResolveAsync(string, MongoClientOptions?, IMongoDnsResolver, CancellationToken)"/>
/// with the real DNS client against a dnsmasq that serves the records the specification's test README lists
/// (<see cref="SpecZone"/>, under the spec's own domain test.build.10gen.cc, so the files run unchanged).
/// Asserted: <c>error</c> (discovery refuses with a finding code), <c>seeds</c> / <c>numSeeds</c> (the seed list
/// after SRV resolution and srvMaxHosts), <c>options</c> (the typed fields, as in <see cref="MongoSpecUriTests"/>)
/// and <c>parsed_options</c> (user, password, auth database). Not asserted: <c>hosts</c> / <c>numHosts</c> and
/// <c>ping</c>, which describe the topology after SDAM scans a live replica set or sharded cluster; dbtls
/// does no SDAM (it checks each seed's TLS), and the spec's three-node clusters are not part of the test servers.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MongoSpecSeedlistTests : IClassFixture<MongoSpecSeedlistTests.SpecDns>
{
    private const string Domain = "test.build.10gen.cc";

    private readonly DnsmasqServer _dns;

    public MongoSpecSeedlistTests(SpecDns fixture) => _dns = fixture.Server;

    public sealed class SpecDns : IAsyncLifetime
    {
        private DnsmasqServer? _server;

        public DnsmasqServer Server => _server ?? throw new InvalidOperationException("dnsmasq is not started");

        public async Task InitializeAsync() => _server = await DnsmasqServer.StartAsync(SpecZone());

        public async Task DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
    }

    /// <summary>The records of the spec's tests/README.md, "Test Setup" (test4 and test9 are absent there too).</summary>
    public static DnsZone SpecZone()
    {
        const string localhost = "localhost." + Domain;
        var zone = new DnsZone().Local(Domain)
            .Host(localhost, IPAddress.Loopback)
            .Host("localhost.sub." + Domain, IPAddress.Loopback);
        foreach (var (name, port, target) in new (string, int, string)[]
        {
            ("test1", 27017, localhost), ("test1", 27018, localhost),
            ("test2", 27018, localhost), ("test2", 27019, localhost),
            ("test3", 27017, localhost), ("test5", 27017, localhost), ("test6", 27017, localhost),
            ("test7", 27017, localhost), ("test8", 27017, localhost), ("test10", 27017, localhost),
            ("test11", 27017, localhost),
            ("test12", 27017, "localhost.build.10gen.cc"),
            ("test13", 27017, "test.build.10gen.cc"),
            ("test14", 27017, "localhost.not-test.build.10gen.cc"),
            ("test15", 27017, "localhost.test.not-build.10gen.cc"),
            ("test16", 27017, "localhost.test.build.not-10gen.cc"),
            ("test17", 27017, "localhost.test.build.10gen.not-cc"),
            ("test18", 27017, "localhost.sub." + Domain),
            ("test19", 27017, "localhost.evil.build.10gen.cc"), ("test19", 27017, localhost),
            ("test20", 27017, localhost), ("test21", 27017, localhost),
            ("test23", 8000, localhost), ("test24", 8000, localhost),
        })
        {
            zone.Srv($"_mongodb._tcp.{name}.{Domain}", target, port);
        }

        // The README's table gives test22 one record, but srv-service-name.json expects two seeds (27017 and 27018),
        // as the spec's live zone serves; the test file is what drivers run, so both are served.
        return zone.Srv($"_customname._tcp.test22.{Domain}", localhost, 27017)
            .Srv($"_customname._tcp.test22.{Domain}", localhost, 27018)
            .Txt($"test5.{Domain}", "replicaSet=repl0&authSource=thisDB")
            .Txt($"test6.{Domain}", "replicaSet=repl0")
            .Txt($"test6.{Domain}", "authSource=otherDB")
            .Txt($"test7.{Domain}", "ssl=false")
            .Txt($"test8.{Domain}", "authSource")
            .Txt($"test10.{Domain}", "socketTimeoutMS=500")
            .Txt($"test11.{Domain}", "replicaS", "et=rep", "l0")
            .Txt($"test20.{Domain}", "loadBalanced=true")
            .Txt($"test21.{Domain}", "loadBalanced=false")
            .Txt($"test24.{Domain}", "loadBalanced=true");
    }

    public static TheoryData<string> Cases() => MongoSpecCases.SeedlistCases();

    [MongoSpecFact]
    public void The_spec_suite_is_all_there() => Assert.True(Cases().Count >= 50, "seedlist cases: " + Cases().Count);

    [MongoSpecTheory]
    [MemberData(nameof(Cases))]
    public async Task Initial_dns_seedlist_discovery_spec(string file)
    {
        var test = MongoSpecCases.Load(file);
        var uri = test.GetProperty("uri").GetString()!;
        var resolver = new DnsClientMongoResolver(_dns.EndPoint, TimeSpan.FromSeconds(5));
        if (test.Property("error") is { ValueKind: JsonValueKind.True })
        {
            var ex = await Assert.ThrowsAsync<DbTlsException>(() => MongoSeedlistDiscovery.ResolveAsync(uri, null, resolver, CancellationToken.None));
            Assert.True(ex.Code is FindingCodes.ConfigInvalid or FindingCodes.DnsSrvRecordInvalid or FindingCodes.DnsSrvLookupFailed, ex.Code + ": " + ex.Message);
            return;
        }

        var spec = await MongoSeedlistDiscovery.ResolveAsync(uri, null, resolver, CancellationToken.None);
        var seeds = spec.Hosts.Select(h => h.ToString()).ToList();
        if (test.Property("seeds") is { } expectedSeeds)
        {
            Assert.Equal(expectedSeeds.EnumerateArray().Select(s => s.GetString()!).Order(StringComparer.Ordinal), seeds.Order(StringComparer.Ordinal));
        }

        if (test.Property("numSeeds") is { } numSeeds)
        {
            Assert.Equal(numSeeds.GetInt32(), seeds.Count);
        }

        if (test.Property("options") is { } options)
        {
            foreach (var option in options.EnumerateObject())
            {
                MongoSpecCases.AssertOption(spec, option.Name.ToLowerInvariant(), option.Value);
            }
        }

        if (test.Property("parsed_options") is { } parsed)
        {
            foreach (var option in parsed.EnumerateObject())
            {
                var actual = option.Name switch
                {
                    "user" => spec.User,
                    "password" => spec.Password?.Reveal(),
                    "auth_database" or "db" or "defaultDatabase" => spec.Database,
                    _ => throw new InvalidOperationException($"{file}: parsed option '{option.Name}' has no mapping in this runner"),
                };
                Assert.Equal(option.Value.GetString(), actual);
            }
        }
    }
}

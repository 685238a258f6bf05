using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;

namespace DbTls.Tests.Dialects.Mongo;

/// <summary>The SRV/TXT rules of the Initial DNS Seedlist Discovery spec, with DNS answers given as a table.</summary>
public class MongoSeedlistDiscoveryTests
{
    private sealed class TableResolver(Dictionary<string, SrvRecord[]> srv, Dictionary<string, string[][]> txt) : IMongoDnsResolver
    {
        public List<string> Queries { get; } = [];

        public Task<IReadOnlyList<SrvRecord>> ResolveSrvAsync(string name, CancellationToken cancellationToken)
        {
            Queries.Add("SRV " + name);
            return Task.FromResult<IReadOnlyList<SrvRecord>>(srv.GetValueOrDefault(name) ?? []);
        }

        public Task<IReadOnlyList<IReadOnlyList<string>>> ResolveTxtAsync(string name, CancellationToken cancellationToken)
        {
            Queries.Add("TXT " + name);
            return Task.FromResult<IReadOnlyList<IReadOnlyList<string>>>(txt.GetValueOrDefault(name) ?? []);
        }
    }

    private static TableResolver Resolver(SrvRecord[] records, params string[][] txt) =>
        new(new() { ["_mongodb._tcp.test1.test.build.10gen.cc"] = records, ["_custom._tcp.test1.test.build.10gen.cc"] = records },
            new() { ["test1.test.build.10gen.cc"] = txt });

    [Fact]
    public async Task Srv_records_become_the_seed_list_and_txt_gives_defaults()
    {
        var resolver = Resolver(
            [new SrvRecord("localhost.test.build.10gen.cc.", 27017), new SrvRecord("localhost.test.build.10gen.cc", 27018)],
            ["replicaSet=repl0&", "authSource=thisDB"]);
        var spec = await MongoSeedlistDiscovery.ResolveAsync("mongodb+srv://u:p@test1.test.build.10gen.cc/?authSource=uriDB", null, resolver, CancellationToken.None);
        Assert.Equal(["localhost.test.build.10gen.cc:27017", "localhost.test.build.10gen.cc:27018"], spec.Hosts.Select(h => h.ToString()));
        Assert.Equal("repl0", spec.ReplicaSet);
        Assert.Equal("uriDB", spec.AuthSource); // the URI wins over TXT
        Assert.True(spec.TlsSettings.Enabled);
        Assert.Equal(["SRV _mongodb._tcp.test1.test.build.10gen.cc", "TXT test1.test.build.10gen.cc"], resolver.Queries);
        Assert.DoesNotContain(spec.Findings, f => f.Code == FindingCodes.ConfigWarning);
    }

    [Fact]
    public async Task Service_name_and_max_hosts_are_applied()
    {
        var resolver = Resolver([new SrvRecord("a.test.build.10gen.cc", 1), new SrvRecord("b.test.build.10gen.cc", 2), new SrvRecord("c.test.build.10gen.cc", 3)]);
        var spec = await MongoSeedlistDiscovery.ResolveAsync("mongodb+srv://test1.test.build.10gen.cc/?srvServiceName=custom&srvMaxHosts=2", null, resolver, CancellationToken.None);
        Assert.Equal(2, spec.Hosts.Length);
        Assert.Equal("SRV _custom._tcp.test1.test.build.10gen.cc", resolver.Queries[0]);
    }

    [Theory]
    [InlineData("localhost.build.10gen.cc")] // parent domain, not ours
    [InlineData("localhost.test.build.10gen.cc.evil.example")]
    [InlineData("evil.example")]
    public async Task Srv_targets_outside_the_domain_are_refused(string target)
    {
        var ex = await Assert.ThrowsAsync<DbTlsException>(() => MongoSeedlistDiscovery.ResolveAsync(
            "mongodb+srv://test1.test.build.10gen.cc", null, Resolver([new SrvRecord(target, 27017)]), CancellationToken.None));
        Assert.Equal(FindingCodes.DnsSrvRecordInvalid, ex.Code);
    }

    [Theory]
    [InlineData("localhost", "a.localhost", true)]
    [InlineData("localhost", "localhost", false)]
    [InlineData("mongo.local", "a.mongo.local", true)]
    [InlineData("mongo.local", "x.local", false)]
    [InlineData("cluster_1.tests.mongodb.co.uk", "h1.tests.mongodb.co.uk", true)]
    [InlineData("cluster_1.tests.mongodb.co.uk", "h1.mongodb.co.uk", false)]
    public void Domain_rule(string srvHost, string target, bool allowed) =>
        Assert.Equal(allowed, MongoSeedlistDiscovery.IsInDomain(target, srvHost));

    [Fact]
    public async Task No_srv_records_is_a_lookup_failure() =>
        Assert.Equal(FindingCodes.DnsSrvLookupFailed, (await Assert.ThrowsAsync<DbTlsException>(() =>
            MongoSeedlistDiscovery.ResolveAsync("mongodb+srv://test1.test.build.10gen.cc", null, Resolver([]), CancellationToken.None))).Code);

    [Theory]
    [InlineData("ssl=false")]
    [InlineData("tls=false")]
    [InlineData("connectTimeoutMS=300000")]
    [InlineData("authSource")]
    public async Task Txt_options_other_than_the_three_allowed_are_refused(string txt) =>
        Assert.Equal(FindingCodes.DnsSrvRecordInvalid, (await Assert.ThrowsAsync<DbTlsException>(() =>
            MongoSeedlistDiscovery.ResolveAsync("mongodb+srv://test1.test.build.10gen.cc", null, Resolver([new SrvRecord("a.test.build.10gen.cc", 27017)], [txt]), CancellationToken.None))).Code);

    [Fact]
    public async Task Two_txt_records_are_refused() =>
        Assert.Equal(FindingCodes.DnsSrvRecordInvalid, (await Assert.ThrowsAsync<DbTlsException>(() =>
            MongoSeedlistDiscovery.ResolveAsync("mongodb+srv://test1.test.build.10gen.cc", null,
                Resolver([new SrvRecord("a.test.build.10gen.cc", 27017)], ["replicaSet=a"], ["authSource=b"]), CancellationToken.None))).Code);

    [Fact]
    public async Task LoadBalanced_with_an_srv_name_for_several_hosts_is_invalid()
    {
        var records = new[] { new SrvRecord("a.test.build.10gen.cc", 27017), new SrvRecord("b.test.build.10gen.cc", 27017) };
        var ex = await Assert.ThrowsAsync<DbTlsException>(() => MongoSeedlistDiscovery.ResolveAsync(
            "mongodb+srv://test1.test.build.10gen.cc/?loadBalanced=true", null, Resolver(records), CancellationToken.None));
        Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);

        // The same, with loadBalanced=true coming from the TXT record.
        ex = await Assert.ThrowsAsync<DbTlsException>(() => MongoSeedlistDiscovery.ResolveAsync(
            "mongodb+srv://test1.test.build.10gen.cc/", null, Resolver(records, ["loadBalanced=true"]), CancellationToken.None));
        Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);

        // One host behind the name is what a load balancer needs.
        var spec = await MongoSeedlistDiscovery.ResolveAsync(
            "mongodb+srv://test1.test.build.10gen.cc/?loadBalanced=true", null, Resolver(records[..1]), CancellationToken.None);
        Assert.True(spec.LoadBalanced);
    }
}

using System.Diagnostics;
using System.Net;
using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Tests.Servers.Dns;

namespace DbTls.Tests.Dialects.Mongo;

/// <summary>
/// <see cref="DnsClientMongoResolver"/> and <see cref="MongoSeedlistDiscovery"/> against a real DNS server
/// (dnsmasq on loopback): the Initial DNS Seedlist Discovery rules that decide where, and whether with TLS,
/// a <c>mongodb+srv://</c> client connects.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DnsClientMongoResolverTests : IClassFixture<DnsmasqFixture>
{
    private readonly DnsmasqServer _dns;

    public DnsClientMongoResolverTests(DnsmasqFixture fixture) => _dns = fixture.Server;

    private DnsClientMongoResolver Resolver() => new(_dns.EndPoint, TimeSpan.FromSeconds(2));

    private Task<MongoConnectionSpec> DiscoverAsync(string uri, MongoClientOptions? options = null) =>
        MongoSeedlistDiscovery.ResolveAsync(uri, options, Resolver(), CancellationToken.None);

    private async Task<DbTlsException> DiscoveryFailsAsync(string uri) =>
        await Assert.ThrowsAsync<DbTlsException>(() => DiscoverAsync(uri));

    [Fact]
    public async Task Srv_and_txt_records_from_dnsmasq_become_hosts_and_default_options_with_tls_on()
    {
        var spec = await DiscoverAsync("mongodb+srv://user:pw@cluster0.example.test/app");

        Assert.Equal(["a.example.test:27017", "b.example.test:27018"], spec.Hosts.Select(h => h.ToString()).Order());
        Assert.True(spec.TlsSettings.Enabled); // mongodb+srv turns TLS on without being asked
        Assert.Equal("rs0", spec.ReplicaSet);
        Assert.Equal("admin", spec.AuthSource);
        Assert.True(await _dns.SawQueryAsync("SRV _mongodb._tcp.cluster0.example.test"), _dns.Log);
        Assert.True(await _dns.SawQueryAsync("TXT cluster0.example.test"), _dns.Log);
    }

    [Fact]
    public async Task The_uri_may_turn_tls_off_and_override_txt_options()
    {
        var spec = await DiscoverAsync("mongodb+srv://user:pw@cluster0.example.test/?tls=false&authSource=other");

        Assert.False(spec.TlsSettings.Enabled);
        Assert.Equal("other", spec.AuthSource);
        Assert.Equal("rs0", spec.ReplicaSet);
    }

    [Theory]
    [InlineData("tlsoff")]
    [InlineData("ssloff")]
    [InlineData("badopt")]
    public async Task Txt_may_not_set_tls_or_any_option_but_the_three(string cluster)
    {
        var ex = await DiscoveryFailsAsync($"mongodb+srv://{cluster}.example.test/");
        Assert.Equal(FindingCodes.DnsSrvRecordInvalid, ex.Code);
        Assert.Contains("only authSource, replicaSet and loadBalanced", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Txt_character_strings_are_concatenated_in_order()
    {
        var txt = Assert.Single(await Resolver().ResolveTxtAsync("split.example.test", CancellationToken.None));
        Assert.Equal(["replicaSet=rs", "1&authSource=adm", "in"], txt);

        var spec = await DiscoverAsync("mongodb+srv://user:pw@split.example.test/");
        Assert.Equal("rs1", spec.ReplicaSet);
        Assert.Equal("admin", spec.AuthSource);
    }

    [Fact]
    public async Task Two_txt_records_are_refused()
    {
        var ex = await DiscoveryFailsAsync("mongodb+srv://twotxt.example.test/");
        Assert.Equal(FindingCodes.DnsSrvRecordInvalid, ex.Code);
        Assert.Contains("2 TXT records", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("other.example.test", "db.attacker.test")]
    [InlineData("cluster1.sub.example.test", "host.example.test")] // the parent of sub.example.test
    [InlineData("lookalike.example.test", "a.example.test.attacker.test")]
    public async Task Srv_targets_outside_the_parent_domain_are_refused_before_any_connection(string srvHost, string target)
    {
        var ex = await DiscoveryFailsAsync($"mongodb+srv://{srvHost}/");
        Assert.Equal(FindingCodes.DnsSrvRecordInvalid, ex.Code);
        Assert.Contains(target, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Srv_max_hosts_picks_that_many_distinct_hosts_from_a_large_answer()
    {
        var all = await Resolver().ResolveSrvAsync("_mongodb._tcp.many.example.test", CancellationToken.None);
        Assert.Equal(40, all.Count); // more than a 512-byte UDP answer holds; DnsClient falls back to TCP if dnsmasq truncates

        var spec = await DiscoverAsync("mongodb+srv://many.example.test/?srvMaxHosts=3");
        Assert.Equal(3, spec.Hosts.Length);
        Assert.Equal(3, spec.Hosts.Select(h => h.Host).Distinct().Count());
        Assert.All(spec.Hosts, h => Assert.Contains(all, r => r.Target.TrimEnd('.') == h.Host && r.Port == h.Port));
        Assert.True(spec.TlsSettings.Enabled);
    }

    [Fact]
    public async Task Srv_service_name_changes_the_queried_name()
    {
        var spec = await DiscoverAsync("mongodb+srv://cluster0.example.test/?srvServiceName=customname");
        Assert.Equal(["c.example.test:27019"], spec.Hosts.Select(h => h.ToString()));
        Assert.True(await _dns.SawQueryAsync("SRV _customname._tcp.cluster0.example.test"), _dns.Log);
    }

    [Fact]
    public async Task Nxdomain_for_the_srv_name_is_a_lookup_failure_that_says_so()
    {
        var ex = await DiscoveryFailsAsync("mongodb+srv://missing.example.test/");
        Assert.Equal(FindingCodes.DnsSrvLookupFailed, ex.Code);
        Assert.Contains("NXDOMAIN", ex.Message, StringComparison.Ordinal);
        Assert.Contains(_dns.Address, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_srv_name_without_srv_records_is_a_lookup_failure()
    {
        Assert.Empty(await Resolver().ResolveSrvAsync("_mongodb._tcp.nodata.example.test", CancellationToken.None));
        var ex = await DiscoveryFailsAsync("mongodb+srv://nodata.example.test/");
        Assert.Equal(FindingCodes.DnsSrvLookupFailed, ex.Code);
        Assert.Contains("no SRV records", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_query_is_a_lookup_failure_naming_the_response_code()
    {
        // dnsmasq has no upstream, so it refuses names outside its zone.
        var ex = await DiscoveryFailsAsync("mongodb+srv://cluster0.elsewhere.test/");
        Assert.Equal(FindingCodes.DnsSrvLookupFailed, ex.Code);
        Assert.Contains("REFUSED", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_txt_record_means_no_default_options()
    {
        Assert.Empty(await Resolver().ResolveTxtAsync("many.example.test", CancellationToken.None)); // NXDOMAIN from dnsmasq
        Assert.Empty(await Resolver().ResolveTxtAsync("a.example.test", CancellationToken.None)); // exists, no TXT
    }

    [Fact]
    public async Task Host_names_are_resolved_by_the_same_server()
    {
        var resolver = Resolver();
        Assert.Equal([IPAddress.Loopback], await resolver.ResolveHostAsync("a.example.test", CancellationToken.None));
        Assert.Equal([IPAddress.Parse("127.0.0.2"), IPAddress.IPv6Loopback], await resolver.ResolveHostAsync("b.example.test", CancellationToken.None));

        var ex = await Assert.ThrowsAsync<DbTlsException>(() => resolver.ResolveHostAsync("nohost.example.test", CancellationToken.None));
        Assert.Equal(FindingCodes.NetUnreachable, ex.Code);
        Assert.Contains("nohost.example.test", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Servfail_relayed_by_dnsmasq_is_a_lookup_failure()
    {
        await using var upstream = new ScriptedDnsResponder(DnsResponderMode.ServerFailure);
        await using var dns = await DnsmasqServer.StartAsync(new DnsZone().Forward("broken.test", upstream.EndPoint));
        var resolver = new DnsClientMongoResolver(dns.EndPoint, TimeSpan.FromSeconds(2));

        var ex = await Assert.ThrowsAsync<DbTlsException>(() =>
            MongoSeedlistDiscovery.ResolveAsync("mongodb+srv://cluster.broken.test/", null, resolver, CancellationToken.None));
        Assert.Equal(FindingCodes.DnsSrvLookupFailed, ex.Code);
        Assert.Contains("SERVFAIL", ex.Message, StringComparison.Ordinal);
        Assert.True(upstream.Queries > 0);
    }

    [Fact]
    public async Task A_silent_server_times_out_with_a_lookup_failure()
    {
        await using var silent = new ScriptedDnsResponder(DnsResponderMode.Silent);
        var resolver = new DnsClientMongoResolver(silent.EndPoint, TimeSpan.FromMilliseconds(300));
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<DbTlsException>(() => resolver.ResolveSrvAsync("_mongodb._tcp.x.example.test", CancellationToken.None));

        Assert.Equal(FindingCodes.DnsSrvLookupFailed, ex.Code);
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5)); // one try and one retry of 300 ms
        Assert.Equal(2, silent.Queries);
    }

    [Fact]
    public async Task Cancellation_stops_a_lookup_at_once()
    {
        await using var silent = new ScriptedDnsResponder(DnsResponderMode.Silent);
        var resolver = new DnsClientMongoResolver(silent.EndPoint, TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            MongoSeedlistDiscovery.ResolveAsync("mongodb+srv://x.example.test/", null, resolver, cts.Token));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    [Theory]
    [InlineData(DnsResponderMode.ShortHeader)]
    [InlineData(DnsResponderMode.MissingAnswer)]
    [InlineData(DnsResponderMode.LyingRdLength)]
    [InlineData(DnsResponderMode.PointerLoop)]
    public async Task Malformed_answers_are_lookup_failures_not_crashes_or_hangs(DnsResponderMode mode)
    {
        await using var liar = new ScriptedDnsResponder(mode);
        var resolver = new DnsClientMongoResolver(liar.EndPoint, TimeSpan.FromMilliseconds(500));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var ex = await Assert.ThrowsAsync<DbTlsException>(() => resolver.ResolveSrvAsync("_mongodb._tcp.x.example.test", cts.Token));

        Assert.Equal(FindingCodes.DnsSrvLookupFailed, ex.Code);
        Assert.True(liar.Queries > 0);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1:53")]
    [InlineData("127.0.0.1:5353", "127.0.0.1:5353")]
    [InlineData(" 10.0.0.2:53 ", "10.0.0.2:53")]
    [InlineData("::1", "[::1]:53")]
    [InlineData("[::1]", "[::1]:53")]
    [InlineData("[::1]:5353", "[::1]:5353")]
    public void Dns_server_addresses_parse_with_port_53_by_default(string text, string expected) =>
        Assert.Equal(expected, DnsClientMongoResolver.ParseServer(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("127.0.0.1:")]
    [InlineData("dns.example.test:53")]
    [InlineData("127.0.0.1:0")]
    [InlineData("[::1]:0")]
    [InlineData("[::1]x")]
    [InlineData("[::1")]
    [InlineData("[127.0.0.1]:53")]
    [InlineData("1")]
    [InlineData("0x7f.1")]
    [InlineData("127.0.0.1:+53")]
    public void Anything_but_an_address_is_a_configuration_error(string text) =>
        Assert.Equal(FindingCodes.ConfigInvalid, Assert.Throws<DbTlsException>(() => DnsClientMongoResolver.ParseServer(text)).Code);
}

using System.Text.Json;
using DbTls.Tests.Infrastructure;
using DbTls.Tls.HostNames;

namespace DbTls.Tests.Dialects.NodePostgres;

/// <summary>
/// dbtls' NodeTlsHostNameMatcher against Node's own <c>tls.checkServerIdentity</c>, given the same generated certificate
/// (its subject CN and subjectAltName as Node's X509Certificate reports them) and host, case by case.
/// </summary>
[Trait("Category", "Integration")]
public sealed class NodeTlsHostNameMatcherTests
{
    private const string Script = """
        const tls = require('tls'), crypto = require('crypto'), fs = require('fs');
        const cases = JSON.parse(fs.readFileSync(0, 'utf8'));
        for (const c of cases) {
          const x = new crypto.X509Certificate(c.pem);
          const cns = x.subject.split('\n').filter(l => l.startsWith('CN=')).map(l => l.slice(3));
          const subject = cns.length === 0 ? {} : { CN: cns.length === 1 ? cns[0] : cns };
          const error = tls.checkServerIdentity(c.host, { subject, subjectaltname: x.subjectAltName });
          console.log(error ? 'false' : 'true');
        }
        """;

    public static TheoryData<string, string[], string[], string[]> Certificates => new()
    {
        { "localhost", ["localhost"], ["127.0.0.1", "::1"], ["localhost", "LOCALHOST", "localhost.", "127.0.0.1", "::1", "[::1]", "other"] },
        { "localhost", [], [], ["localhost", "127.0.0.1"] },
        { "127.0.0.1", [], [], ["127.0.0.1", "127.1", "localhost"] },
        { "127.1", [], [], ["127.1"] },
        { "ip sans", [], ["127.0.0.1"], ["127.0.0.1", "localhost", "ip sans"] },
        { "localhost", ["db.example.com"], [], ["localhost", "db.example.com", "DB.Example.COM"] },
        { "wild", ["*.example.com"], [], ["a.example.com", "a.b.example.com", "example.com", "A.EXAMPLE.COM"] },
        { "partial", ["db*.example.com", "*z.example.org", "x*y.example.net"], [], ["db1.example.com", "db.example.com", "xdb.example.com", "abcz.example.org", "z.example.org", "xy.example.net", "x1y.example.net"] },
        { "tld", ["*.com", "*.*.example.com"], [], ["example.com", "a.b.example.com", "com"] },
        { "*.example.com", [], [], ["a.example.com", "example.com"] },
    };

    [Theory]
    [MemberData(nameof(Certificates))]
    public async Task Dbtls_matches_exactly_where_node_does(string commonName, string[] dnsNames, string[] ips, string[] hosts)
    {
        Assert.True(NodePostgresOracle.Node is not null, "Node.js missing: run scripts/setup.sh");
        using var root = CertFactory.CreateRoot();
        using var leaf = CertFactory.CreateLeaf(root, new CertSpec
        {
            CommonName = commonName,
            DnsNames = dnsNames,
            IpAddresses = [.. ips.Select(System.Net.IPAddress.Parse)],
        });
        var cases = hosts.Select(h => new Dictionary<string, string> { ["pem"] = leaf.CertificatePem, ["host"] = h.Trim('[', ']') }).ToList();
        var result = await ProcessRunner.RunAsync(new ProcessSpec(NodePostgresOracle.Node!, ["-e", Script]) { StandardInput = JsonSerializer.Serialize(cases) });
        Assert.True(result.Succeeded, result.ToString());
        var node = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim() == "true").ToList();
        Assert.Equal(hosts.Length, node.Count);

        var differ = hosts.Select((h, i) => (Host: h, Node: node[i], Dbtls: NodeTlsHostNameMatcher.Instance.Match(leaf.Certificate, h).IsMatch))
            .Where(r => r.Node != r.Dbtls)
            .Select(r => $"{r.Host}: node {r.Node}, dbtls {r.Dbtls}")
            .ToList();
        Assert.True(differ.Count == 0, string.Join("\n", differ));
    }
}

using System.Net;
using DbTls.Diagnostics;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Tds;
using DbTls.Tls.Verification;

namespace DbTls.Tests.EndToEnd.Tds;

/// <summary>
/// The corners where SslStream's own name check (SqlClient's step 1) and X509Certificate2.MatchesHostname (its step
/// 2) disagree, measured with real Microsoft.Data.SqlClient against the TDS test server: SqlClient's verdict and
/// dbtls' on the same connection string must be equal. The names must resolve for SqlClient, so its child process
/// gets a private /etc/hosts (<see cref="SqlClientVerdicts"/>). With a chain that validates, the pin-free verdict is
/// "either step matches"; a pin (ServerCertificate) replaces both steps, shown by the last row.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SqlClientHostNameCornerTests
{
    private sealed record Corner(string Name, string Host, string CommonName, string[] DnsNames, string[] IpAddresses, bool ExpectConnected, string Settings = "");

    [Fact]
    public async Task Host_name_corners_equal_real_SqlClient()
    {
        using var ca = TdsTestCertificates.Create("localhost");
        using var stranger = TdsTestCertificates.Create("localhost");
        Corner[] corners =
        [
            new("CN wildcard without SANs: SslStream accepts, MatchesHostname does not", "a.dbtls.test", "*.dbtls.test", [], [], true),
            new("upper-case CN wildcard", "a.dbtls.test", "*.DBTLS.test", [], [], true),
            new("IP host spelled in the CN next to another iPAddress SAN", "127.0.0.1", "127.0.0.1", [], ["127.0.0.2"], true),
            new("*.com SAN: SslStream rejects, MatchesHostname (step 2) accepts", "example.com", "x", ["*.com"], [], true),
            new("CN wildcard next to an iPAddress SAN only", "a.dbtls.test", "*.dbtls.test", [], ["127.0.0.1"], true),
            new("CN wildcard hidden by a dNSName SAN", "a.dbtls.test", "*.dbtls.test", ["b.test"], [], false),
            new("partial wildcard SAN", "db1.dbtls.test", "x", ["db*.dbtls.test"], [], false),
            new("wildcard SAN matches one label only", "a.b.dbtls.test", "x", ["*.dbtls.test"], [], false),
            new("*.com SAN with a pin that differs: the pin decides", "example.com", "x", ["*.com"], [], false, $"ServerCertificate={stranger.LeafPemPath}"),
        ];

        var servers = new List<TdsTestServer>();
        var leaves = new List<IssuedCert>();
        try
        {
            foreach (var corner in corners)
            {
                var leaf = CertFactory.CreateLeaf(ca.Intermediate, new CertSpec
                {
                    CommonName = corner.CommonName,
                    DnsNames = corner.DnsNames,
                    IpAddresses = [.. corner.IpAddresses.Select(IPAddress.Parse)],
                });
                leaves.Add(leaf);
                servers.Add(TdsTestServer.Start(ca.ServerOptions() with { Certificate = leaf.Certificate }));
            }

            var strings = corners.Select((c, i) => SqlClientVerdicts.ConnectionString(servers[i], c.Host, "Encrypt=Mandatory;" + c.Settings)).ToList();
            var names = corners.Select(c => c.Host).Where(h => !IPAddress.TryParse(h, out _)).Distinct().ToList();
            var sqlClient = await SqlClientVerdicts.RunAsync(ca.RootPemPath, strings, names);

            for (var i = 0; i < corners.Length; i++)
            {
                var corner = corners[i];
                var dbtls = await DbTlsTdsHandshake.RunAsync(servers[i], strings[i], ca.RootPemPath);
                Assert.True(corner.ExpectConnected == sqlClient[i].Connected, $"{corner.Name}: SqlClient {sqlClient[i]}");
                Assert.True(sqlClient[i].Connected == dbtls.Accepted, $"{corner.Name}: SqlClient {sqlClient[i]}, dbtls {dbtls}");
                if (!corner.ExpectConnected && corner.Settings.Length == 0)
                {
                    Assert.Contains("Certificate name mismatch", sqlClient[i].Message, StringComparison.Ordinal);
                    Assert.Equal(FindingCodes.CertHostnameMismatch, dbtls.Code);
                }

                Assert.Equal(ValidationSteps.Passed, dbtls.Outcome(ValidationSteps.Chain));
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }

            leaves.ForEach(l => l.Dispose());
        }
    }
}

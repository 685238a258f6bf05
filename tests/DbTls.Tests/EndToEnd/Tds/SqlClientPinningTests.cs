using DbTls.Diagnostics;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Tds;
using DbTls.Tls.Verification;

namespace DbTls.Tests.EndToEnd.Tds;

/// <summary>
/// SqlClient <c>ServerCertificate</c> against the TDS test server: real Microsoft.Data.SqlClient (one child process per
/// trust store, every case in it) and dbtls' TLS engine on the same connection string must reach the same verdict,
/// with a chain that validates and one that does not. Measured with SqlClient 7.1.0: the pin alone decides, whatever
/// the chain, the host names or the dates, and a pin file that cannot be loaded refuses the connection.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SqlClientPinningTests
{
    private sealed record Case(string Name, TdsTestServer Server, string Host, string Settings, bool Trusted, bool ExpectConnected, string? ExpectedCode, string ExpectedPinOutcome);

    [Fact]
    public async Task Pinned_certificate_verdicts_equal_real_SqlClient()
    {
        using var localhost = TdsTestCertificates.Create("localhost");
        using var otherHost = TdsTestCertificates.Create("sql.dbtls.test", includeLoopbackIp: false);
        using var stranger = TdsTestCertificates.Create("localhost");
        var derPin = Path.Combine(localhost.Directory, "server.der");
        await File.WriteAllBytesAsync(derPin, localhost.Leaf.Certificate.RawData);
        var trustedRoots = CertFactory.WritePem(Path.Combine(localhost.Directory, "trusted-roots.pem"), localhost.Root.CertificatePem + otherHost.Root.CertificatePem);
        const string missing = "/nonexistent/dbtls/server.pem";

        using var expiredLeaf = CertFactory.CreateLeaf(localhost.Intermediate, new CertSpec
        {
            CommonName = "localhost",
            DnsNames = ["localhost"],
            NotBefore = DateTimeOffset.UtcNow.AddDays(-30),
            NotAfter = DateTimeOffset.UtcNow.AddDays(-1),
        });
        var expiredPin = CertFactory.WritePem(Path.Combine(localhost.Directory, "expired.pem"), expiredLeaf.CertificatePem);
        await using var server = TdsTestServer.Start(localhost.ServerOptions());
        await using var expiredServer = TdsTestServer.Start(localhost.ServerOptions() with { Certificate = expiredLeaf.Certificate });
        await using var otherServer = TdsTestServer.Start(otherHost.ServerOptions());

        Case[] cases =
        [
            new("valid chain, pin matches", server, "localhost", $"ServerCertificate={localhost.LeafPemPath}", true, true, null, ValidationSteps.Passed),
            new("valid chain, pin differs: refused although chain and name validate", server, "localhost", $"ServerCertificate={stranger.LeafPemPath}", true, false, FindingCodes.CertPinMismatch, ValidationSteps.Failed),
            new("valid chain, pin unreadable: refused", server, "localhost", $"ServerCertificate={missing}", true, false, FindingCodes.CertPinUnreadable, ValidationSteps.Failed),
            new("expired certificate, pin matches", expiredServer, "localhost", $"ServerCertificate={expiredPin}", true, true, null, ValidationSteps.Passed),
            new("name mismatch, pin matches", otherServer, "127.0.0.1", $"ServerCertificate={otherHost.LeafPemPath}", true, true, null, ValidationSteps.Passed),
            new("name mismatch rescued by HostNameInCertificate, pin differs", otherServer, "127.0.0.1", $"HostNameInCertificate=sql.dbtls.test;ServerCertificate={stranger.LeafPemPath}", true, false, FindingCodes.CertPinMismatch, ValidationSteps.Failed),
            new("untrusted chain, PEM pin matches", server, "localhost", $"ServerCertificate={localhost.LeafPemPath}", false, true, null, ValidationSteps.Passed),
            new("untrusted chain, DER pin matches", server, "localhost", $"ServerCertificate={derPin}", false, true, null, ValidationSteps.Passed),
            new("untrusted chain, expired certificate, pin matches", expiredServer, "localhost", $"ServerCertificate={expiredPin}", false, true, null, ValidationSteps.Passed),
            new("untrusted chain, pin differs", server, "localhost", $"ServerCertificate={stranger.LeafPemPath}", false, false, FindingCodes.CertPinMismatch, ValidationSteps.Failed),
            new("untrusted chain, pin unreadable", server, "localhost", $"ServerCertificate={missing}", false, false, FindingCodes.CertPinUnreadable, ValidationSteps.Failed),
        ];

        foreach (var trusted in new[] { true, false })
        {
            var group = cases.Where(c => c.Trusted == trusted).ToList();
            var roots = trusted ? trustedRoots : stranger.RootPemPath;
            var strings = group.Select(c => SqlClientVerdicts.ConnectionString(c.Server, c.Host, "Encrypt=Mandatory;" + c.Settings)).ToList();
            var sqlClient = await SqlClientVerdicts.RunAsync(roots, strings);
            for (var i = 0; i < group.Count; i++)
            {
                var c = group[i];
                var dbtls = await DbTlsTdsHandshake.RunAsync(c.Server, strings[i], roots);
                Assert.True(c.ExpectConnected == sqlClient[i].Connected, $"{c.Name}: SqlClient {sqlClient[i]}");
                Assert.True(sqlClient[i].Connected == dbtls.Accepted, $"{c.Name}: SqlClient {sqlClient[i]}, dbtls {dbtls}");
                Assert.Equal(c.ExpectedCode, dbtls.Code);
                Assert.True(c.ExpectedPinOutcome == dbtls.Outcome(ValidationSteps.Pin), $"{c.Name}: {dbtls}");
                if (c.ExpectedCode == FindingCodes.CertPinMismatch)
                {
                    Assert.Contains("does not match the certificate provided by the ServerCertificate option", sqlClient[i].Message, StringComparison.Ordinal);
                    Assert.Contains(PinnedFingerprint(c.Server), dbtls.Detail(ValidationSteps.Pin), StringComparison.Ordinal);
                }

                if (c.ExpectedCode == FindingCodes.CertPinUnreadable)
                {
                    Assert.Contains("could not be loaded or parsed", sqlClient[i].Message, StringComparison.Ordinal);
                }

                if (c.ExpectConnected && !c.Trusted)
                {
                    // The pin stood in for the failed chain: the report says so rather than hiding the failure.
                    Assert.Equal(ValidationSteps.Failed, dbtls.Outcome(ValidationSteps.Chain));
                    Assert.Contains("stands in for the failed chain", dbtls.Detail(ValidationSteps.Pin), StringComparison.Ordinal);
                }
            }
        }
    }

    private static string PinnedFingerprint(TdsTestServer server) => DbTls.Tls.Trust.PinnedCertificate.Fingerprint(server.Options.Certificate!);
}

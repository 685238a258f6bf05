using DbTls.Diagnostics;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Mongo;

namespace DbTls.Tests.Tls.Ocsp;

/// <summary>
/// The repository's MongoDB test server stapling with .NET's own server-side OCSP stapling, which
/// fetches from the <c>openssl ocsp</c> responder named in the certificate. dbtls runs with
/// tlsDisableOCSPEndpointCheck=true, so an OCSP answer can only have come from the staple.
/// </summary>
[Trait("Category", "Integration")]
[Collection("ocsp")]
public class MongoServerStaplingTests(OcspPki pki)
{
    private async Task<Connection> ConnectUntilStapledAsync(IssuedCert server)
    {
        await using var mongo = MongoTestServer.Start(new MongoTestServerOptions
        {
            Certificate = server.Certificate,
            CertificateChain = [pki.Root.Certificate],
            StapleOcsp = true,
        });
        return await MongoStapleWarmUp.ConnectUntilStapledAsync(mongo, pki.RootFile);
    }

    [Fact]
    public async Task Good_certificate_is_stapled_by_the_test_server_and_accepted()
    {
        await using var scenario = new OcspScenario(pki);
        using var server = scenario.Server(mustStaple: true);
        scenario.Good(server);
        await scenario.StartResponderAsync();

        await using var connection = await ConnectUntilStapledAsync(server);

        Assert.NotNull(connection.Ok);
        Assert.Equal(("stapled", "good", true), (connection.Report.Ocsp!.Source, connection.Report.Ocsp.Status, connection.Report.Ocsp.MustStaple));
        Assert.True(scenario.Proxy.Connections >= 1, "the test server fetched its staple from the responder");
    }

    [Fact]
    public async Task Revoked_certificate_stapled_by_the_test_server_is_rejected()
    {
        await using var scenario = new OcspScenario(pki);
        using var server = scenario.Server();
        scenario.Revoked(server, DateTimeOffset.UtcNow.AddDays(-3), "cessationOfOperation");
        await scenario.StartResponderAsync();

        await using var connection = await ConnectUntilStapledAsync(server);

        Assert.Equal(FindingCodes.TlsOcspRevoked, connection.Failed.Code);
        Assert.Equal(("stapled", "cessationOfOperation"), (connection.Report.Ocsp!.Source, connection.Report.Ocsp.RevocationReason));
    }
}

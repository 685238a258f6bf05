using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Tls.Ocsp;

/// <summary>
/// Stapled OCSP responses served by OpenSSL (<c>s_server -status_file</c>), read by dbtls' probe
/// handshake and verified. The responder behind the certificates' URL is down in every case where the
/// staple must decide, so a pass proves the staple (not the responder) was used.
/// </summary>
[Trait("Category", "Integration")]
[Collection("ocsp")]
public class OcspStaplingTests(OcspPki pki)
{
    private async Task<(Connection Connection, int TlsConnections)> ConnectAsync(IssuedCert server, string? staple, OcspPolicy? ocsp = null, string? protocol = null)
    {
        var (certificate, key) = pki.WriteKeyPair(server);
        await using var tls = StaplingOpenSslServer.Start(certificate, key, staple, protocol);
        var connection = await Connection.OpenAsync(tls.EndPoint, pki.Policy(ocsp ?? OcspPolicy.SoftFail), "localhost");
        return (connection, tls.Connections);
    }

    /// <summary>A real response from openssl ocsp (signed by <paramref name="signer"/>), saved for stapling; the proxy stays unrouted.</summary>
    private static async Task<string> StapleAsync(OcspScenario scenario, IssuedCert subject, IssuedCert? signer = null)
    {
        var responder = await scenario.StartResponderAsync(signer, route: false);
        return await scenario.FetchResponseFileAsync(subject, responder);
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task Good_staple_passes_without_asking_the_responder(string protocol)
    {
        await using var scenario = new OcspScenario(pki);
        using var server = scenario.Server();
        scenario.Good(server);
        var staple = await StapleAsync(scenario, server);

        var (connection, tlsConnections) = await ConnectAsync(server, staple, protocol: protocol);
        await using var _ = connection;

        Assert.True(connection.Step("ocsp") == "passed", connection.Detail("ocsp"));
        Assert.Equal(("stapled", "good", true), (connection.Report.Ocsp!.Source, connection.Report.Ocsp.Status, connection.Report.Ocsp.Stapled));
        Assert.Equal(0, scenario.Proxy.Connections);
        Assert.Equal(2, tlsConnections); // the handshake and the staple probe
        Assert.Equal(protocol == "-tls1_2" ? "TLSv1.2" : "TLSv1.3", connection.Report.Protocol);
    }

    [Fact]
    public async Task Revoked_staple_fails_even_with_the_endpoint_check_disabled()
    {
        await using var scenario = new OcspScenario(pki);
        using var server = scenario.Server();
        scenario.Revoked(server, DateTimeOffset.UtcNow.AddDays(-2), "superseded");
        var staple = await StapleAsync(scenario, server);

        var (connection, _) = await ConnectAsync(server, staple, OcspPolicy.SoftFail with { QueryResponder = false });
        await using var _c = connection;

        Assert.Equal(FindingCodes.TlsOcspRevoked, connection.Failed.Code);
        Assert.Contains("per the stapled response", connection.Failed.Message, StringComparison.Ordinal);
        Assert.Equal(("stapled", "superseded"), (connection.Report.Ocsp!.Source, connection.Report.Ocsp.RevocationReason));
        Assert.Equal(0, scenario.Proxy.Connections);
    }

    [Fact]
    public async Task Unknown_staple_settles_nothing_and_soft_fails_when_the_responder_is_down()
    {
        await using var scenario = new OcspScenario(pki);
        using var server = scenario.Server(); // not in the database: "unknown"
        var staple = await StapleAsync(scenario, server);

        var (connection, _) = await ConnectAsync(server, staple);
        await using var _c = connection;

        Assert.Contains(connection.Ok.Findings, f => f.Code == FindingCodes.TlsOcspUnknown && f.Severity == Severity.Warning);
        Assert.Contains("settles nothing", connection.Detail("ocsp"), StringComparison.Ordinal);
        Assert.Equal(1, scenario.Proxy.Connections); // the responder was still tried
    }

    [Fact]
    public async Task Expired_staple_is_invalid()
    {
        await using var scenario = new OcspScenario(pki);
        using var server = scenario.Server();
        var expired = Path.Combine(pki.Directory, $"expired-{Guid.NewGuid():N}.der");
        File.WriteAllBytes(expired, ForgedOcspResponses.Good(server, pki.Root, DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddMinutes(-1)));

        var (connection, _) = await ConnectAsync(server, expired);
        await using var _c = connection;

        Assert.Equal(FindingCodes.TlsOcspInvalid, connection.Failed.Code);
        Assert.Contains("has expired (nextUpdate", connection.Failed.Message, StringComparison.Ordinal);
        Assert.Equal(0, scenario.Proxy.Connections);
    }

    [Fact]
    public async Task Staple_signed_by_the_issuer_itself_is_accepted_and_one_dated_in_the_future_is_not()
    {
        await using var scenario = new OcspScenario(pki);
        using var server = scenario.Server();
        var good = Path.Combine(pki.Directory, $"issuer-{Guid.NewGuid():N}.der");
        File.WriteAllBytes(good, ForgedOcspResponses.Good(server, pki.Root, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1)));
        var future = Path.Combine(pki.Directory, $"future-{Guid.NewGuid():N}.der");
        File.WriteAllBytes(future, ForgedOcspResponses.Good(server, pki.Root, DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow.AddHours(2)));

        var (accepted, _) = await ConnectAsync(server, good);
        await using (accepted)
        {
            Assert.Equal("passed", accepted.Step("ocsp"));
            Assert.Contains("the issuer", accepted.Detail("ocsp"), StringComparison.Ordinal);
        }

        OcspTestCache.Forget(); // the good answer is cached now; the second staple must be looked at
        var (rejected, _) = await ConnectAsync(server, future);
        await using var _r = rejected;
        Assert.Equal(FindingCodes.TlsOcspInvalid, rejected.Failed.Code);
        Assert.Contains("not valid yet", rejected.Failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staple_signed_by_a_certificate_without_ocsp_signing_is_invalid()
    {
        await using var scenario = new OcspScenario(pki);
        using var server = scenario.Server();
        scenario.Good(server);
        var staple = await StapleAsync(scenario, server, pki.WrongSigner);

        var (connection, _) = await ConnectAsync(server, staple);
        await using var _c = connection;

        Assert.Equal(FindingCodes.TlsOcspInvalid, connection.Failed.Code);
        Assert.Contains("lacks the id-kp-OCSPSigning", connection.Failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staple_for_another_certificate_does_not_cover_the_server_certificate()
    {
        await using var scenario = new OcspScenario(pki);
        using var server = scenario.Server();
        using var other = scenario.Server();
        scenario.Good(other);
        var staple = await StapleAsync(scenario, other);

        var (connection, _) = await ConnectAsync(server, staple);
        await using var _c = connection;

        Assert.Equal(FindingCodes.TlsOcspInvalid, connection.Failed.Code);
        Assert.Contains("does not cover this certificate", connection.Failed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task Must_staple_certificate_without_a_staple_fails_even_when_the_responder_says_good(string protocol)
    {
        await using var scenario = new OcspScenario(pki);
        using var server = scenario.Server(mustStaple: true);
        scenario.Good(server);
        await scenario.StartResponderAsync();

        var (connection, _) = await ConnectAsync(server, staple: null, protocol: protocol);
        await using var _c = connection;

        Assert.True(connection.Error is not null, connection.Detail("ocsp"));
        Assert.Equal(FindingCodes.TlsOcspMustStapleMissing, connection.Failed.Code);
        Assert.True(connection.Report.Ocsp!.MustStaple);
        Assert.False(connection.Report.Ocsp.Stapled);
        Assert.Equal(0, scenario.Proxy.Connections);
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task Must_staple_certificate_with_a_good_staple_passes(string protocol)
    {
        await using var scenario = new OcspScenario(pki);
        using var server = scenario.Server(mustStaple: true);
        scenario.Good(server);
        var staple = await StapleAsync(scenario, server);

        var (connection, _) = await ConnectAsync(server, staple, protocol: protocol);
        await using var _c = connection;

        Assert.True(connection.Step("ocsp") == "passed", connection.Detail("ocsp"));
        Assert.True(connection.Report.Ocsp!.MustStaple);
        Assert.Equal("stapled", connection.Report.Ocsp.Source);
    }
}

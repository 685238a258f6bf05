using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Tls.Ocsp;

/// <summary>
/// OCSP through a real <c>openssl ocsp</c> responder, with an OpenSSL server that staples nothing
/// (the specification's Test 3/4 and Soft Fail Test columns). Requests are counted by the proxy the
/// certificates name.
/// </summary>
[Trait("Category", "Integration")]
[Collection("ocsp")]
public class OcspResponderTests(OcspPki pki)
{
    private async Task<Connection> ConnectAsync(IssuedCert server, OcspPolicy ocsp, string? staple = null)
    {
        var (certificate, key) = pki.WriteKeyPair(server);
        await using var tls = StaplingOpenSslServer.Start(certificate, key, staple);
        return await Connection.OpenAsync(tls.EndPoint, pki.Policy(ocsp), "localhost");
    }

    [Fact]
    public async Task Good_answer_from_the_responder_passes_and_is_reported()
    {
        await using var scenario = new OcspScenario(pki);
        using var server = scenario.Server();
        scenario.Good(server);
        await scenario.StartResponderAsync();

        await using var connection = await ConnectAsync(server, OcspPolicy.SoftFail);

        Assert.NotNull(connection.Ok);
        Assert.Equal("passed", connection.Step("ocsp"));
        var ocsp = connection.Report.Ocsp!;
        Assert.Equal(("responder", "good", false), (ocsp.Source, ocsp.Status, ocsp.Stapled));
        Assert.Equal(scenario.Proxy.Url.ToString(), ocsp.Responder);
        Assert.NotNull(ocsp.ThisUpdate);
        Assert.True(ocsp.NextUpdate > DateTimeOffset.UtcNow.AddMinutes(50), $"nextUpdate {ocsp.NextUpdate}");
        Assert.Contains("dbtls OCSP Responder", connection.Detail("ocsp"), StringComparison.Ordinal); // delegated signer accepted
        Assert.Equal(1, scenario.Proxy.Connections);
        Assert.DoesNotContain(connection.Ok.Findings, f => f.Code.StartsWith("tls.ocsp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Revoked_answer_from_the_responder_fails_with_date_and_reason()
    {
        await using var scenario = new OcspScenario(pki);
        using var server = scenario.Server();
        var revokedAt = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1), TimeSpan.Zero);
        scenario.Revoked(server, revokedAt, "keyCompromise");
        await scenario.StartResponderAsync();

        await using var connection = await ConnectAsync(server, OcspPolicy.SoftFail);

        Assert.Equal(FindingCodes.TlsOcspRevoked, connection.Failed.Code);
        Assert.Contains("reason keyCompromise", connection.Failed.Message, StringComparison.Ordinal);
        Assert.Equal(("responder", "revoked", "keyCompromise"), (connection.Report.Ocsp!.Source, connection.Report.Ocsp.Status, connection.Report.Ocsp.RevocationReason));
        Assert.Equal(revokedAt, connection.Report.Ocsp.RevocationTime);
        Assert.Equal("failed", connection.Step("ocsp"));
    }

    [Fact]
    public async Task Unknown_answer_is_a_warning_under_soft_fail_and_a_failure_under_hard_fail()
    {
        await using var scenario = new OcspScenario(pki);
        using var server = scenario.Server(); // not in the responder's database: openssl answers "unknown"
        await scenario.StartResponderAsync();

        await using (var soft = await ConnectAsync(server, OcspPolicy.SoftFail))
        {
            var warning = Assert.Single(soft.Ok.Findings, f => f.Code == FindingCodes.TlsOcspUnknown);
            Assert.Equal(Severity.Warning, warning.Severity);
            Assert.Equal("unknown", soft.Report.Ocsp!.Status);
            Assert.Equal("skipped", soft.Step("ocsp"));
        }

        await using var hard = await ConnectAsync(server, OcspPolicy.SoftFail with { HardFail = true });
        Assert.Equal(FindingCodes.TlsOcspUnknown, hard.Failed.Code);
        Assert.Equal(2, scenario.Proxy.Connections); // unknown is never cached
    }

    [Fact]
    public async Task Responder_down_soft_fails_with_a_warning_and_hard_fails_when_asked()
    {
        await using var scenario = new OcspScenario(pki); // no responder behind the proxy
        using var server = scenario.Server();

        await using (var soft = await ConnectAsync(server, OcspPolicy.SoftFail))
        {
            var warning = Assert.Single(soft.Ok.Findings, f => f.Code == FindingCodes.TlsOcspResponderUnreachable);
            Assert.Equal(Severity.Warning, warning.Severity);
            Assert.Contains(scenario.Proxy.Url.ToString(), warning.Message, StringComparison.Ordinal);
            Assert.Null(soft.Report.Ocsp!.Status);
        }

        await using var hard = await ConnectAsync(server, OcspPolicy.SoftFail with { HardFail = true });
        Assert.Equal(FindingCodes.TlsOcspResponderUnreachable, hard.Failed.Code);
        Assert.True(scenario.Proxy.Connections >= 2);
    }

    [Fact]
    public async Task A_silent_responder_is_given_up_after_the_timeout()
    {
        await using var scenario = new OcspScenario(pki);
        scenario.Proxy.Silent = true;
        using var server = scenario.Server();

        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var connection = await ConnectAsync(server, OcspPolicy.SoftFail with { ResponderTimeout = TimeSpan.FromSeconds(1) });

        Assert.Contains(connection.Ok.Findings, f => f.Code == FindingCodes.TlsOcspResponderUnreachable && f.Message.Contains("no answer within 1 s", StringComparison.Ordinal));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task Endpoint_check_disabled_sends_no_request_to_the_responder()
    {
        await using var scenario = new OcspScenario(pki);
        using var server = scenario.Server();
        scenario.Revoked(server, DateTimeOffset.UtcNow.AddHours(-1), "keyCompromise");
        await scenario.StartResponderAsync();

        await using var connection = await ConnectAsync(server, OcspPolicy.SoftFail with { QueryResponder = false });

        Assert.NotNull(connection.Ok);
        Assert.Equal(0, scenario.Proxy.Connections);
        Assert.Contains("not asked", connection.Detail("ocsp"), StringComparison.Ordinal);
        Assert.Null(connection.Report.Ocsp!.Responder);
    }

    [Fact]
    public async Task Second_check_is_answered_from_the_cache_without_a_request()
    {
        await using var scenario = new OcspScenario(pki);
        using var server = scenario.Server();
        scenario.Good(server);
        await scenario.StartResponderAsync();

        await using (var first = await ConnectAsync(server, OcspPolicy.SoftFail))
        {
            Assert.Equal("responder", first.Report.Ocsp!.Source);
        }

        Assert.Equal(1, scenario.Proxy.Connections);
        await using var second = await ConnectAsync(server, OcspPolicy.SoftFail);
        Assert.Equal(("cache", "good"), (second.Report.Ocsp!.Source, second.Report.Ocsp.Status));
        Assert.Equal(1, scenario.Proxy.Connections);
        Assert.Equal("passed", second.Step("ocsp"));
    }

    [Fact]
    public async Task Ocsp_off_makes_no_request_and_adds_no_step()
    {
        await using var scenario = new OcspScenario(pki);
        using var server = scenario.Server(mustStaple: true);
        scenario.Revoked(server, DateTimeOffset.UtcNow.AddHours(-1), "keyCompromise");
        await scenario.StartResponderAsync();

        await using var connection = await ConnectAsync(server, OcspPolicy.Off);

        Assert.NotNull(connection.Ok);
        Assert.Null(connection.Report.Ocsp);
        Assert.DoesNotContain(connection.Report.Validation, s => s.Step == "ocsp");
        Assert.Equal(0, scenario.Proxy.Connections);
    }

    [Fact]
    public async Task Certificate_without_responder_or_must_staple_is_accepted_without_a_probe_connection()
    {
        using var server = pki.Server(responderUrl: null);
        var (certificate, key) = pki.WriteKeyPair(server);
        await using var tls = StaplingOpenSslServer.Start(certificate, key, stapleFile: null);

        await using var connection = await Connection.OpenAsync(tls.EndPoint, pki.Policy(OcspPolicy.SoftFail), "localhost");

        Assert.NotNull(connection.Ok);
        Assert.Equal("skipped", connection.Step("ocsp"));
        // Issue 15: each fact once ("names no ... responder" was said twice in one line).
        var detail = connection.Detail("ocsp");
        Assert.StartsWith("no staple probe", detail, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(detail, "names no (http )?OCSP responder"));
        Assert.Null(connection.Report.Ocsp!.Stapled);
        Assert.DoesNotContain(connection.Ok.Findings, f => f.Code.StartsWith("tls.ocsp", StringComparison.Ordinal));
        Assert.Equal(1, tls.Connections);
    }
}

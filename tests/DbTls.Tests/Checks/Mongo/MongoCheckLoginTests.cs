using System.Text;
using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Policy;
using DbTls.Reports;
using DbTls.Tests.Servers.Mongo;
using static DbTls.Tests.Checks.Mongo.MongoCheckHarness;

namespace DbTls.Tests.Checks.Mongo;

/// <summary><see cref="MongoCheck"/>'s login: mechanism negotiation, SCRAM-SHA-1 and -256, wrong passwords, no credentials, tls=false.</summary>
[Trait("Category", "Integration")]
public sealed class MongoCheckLoginTests(MongoCheckCertificates certs) : IClassFixture<MongoCheckCertificates>
{
    private MongoTestServer Start(bool tls = true, bool speculative = true) =>
        MongoTestServer.Start(new MongoTestServerOptions
        {
            Certificate = tls ? certs.Base.Server.Certificate : null,
            Users = [Alice, Legacy],
            SupportsSpeculativeAuthentication = speculative,
        });

    [Fact]
    public async Task Negotiates_scram_sha_1_for_a_user_without_sha_256_credentials()
    {
        await using var server = Start();
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs), userInfo: $"legacy:{LegacyPassword}@"));

        Assert.Equal(Verdicts.Ok, report.Verdict);
        Assert.Equal("scram-sha-1", report.Login!.Mechanism);
        Assert.Equal(["legacy@admin"], report.Server!.AuthenticatedUsers);
        var hello = Assert.Single(Assert.Single(server.Connections).HelloCommands.Items);
        Assert.Equal("admin.legacy", hello["saslSupportedMechs"].AsString);
        AssertNoSecret(report, LegacyPassword);
    }

    [Theory]
    [InlineData("SCRAM-SHA-1", "scram-sha-1")]
    [InlineData("SCRAM-SHA-256", "scram-sha-256")]
    public async Task Configured_mechanism_is_used_without_speculation_support(string mechanism, string reported)
    {
        await using var server = Start(speculative: false);
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs, $"&authMechanism={mechanism}")));

        Assert.Equal(Verdicts.Ok, report.Verdict);
        Assert.Equal(reported, report.Login!.Mechanism);
        Assert.Contains("with saslStart", report.Login.Detail, StringComparison.Ordinal);
        Assert.Contains("OP_MSG saslStart", Assert.Single(server.Connections).Commands);
        Assert.Contains($"authMechanism={mechanism}", report.Policy!.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_is_auth_failed_after_a_complete_tls_handshake()
    {
        await using var server = Start();
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs), userInfo: "alice:Wrong-Pw-11@"));

        Assert.Equal(Verdicts.Rejected, report.Verdict);
        Assert.Equal(1, report.ExitCode);
        var failure = Failure(report);
        Assert.Equal(FindingCodes.AuthFailed, failure.Code);
        Assert.Contains("authSource", failure.Remedy, StringComparison.Ordinal);
        Assert.True(report.Login!.Attempted);
        Assert.False(report.Login.Succeeded);
        Assert.Equal("scram-sha-256", report.Login.Mechanism);
        Assert.NotNull(report.Tls!.Protocol);
        Assert.Null(report.Server);
        AssertNoSecret(report, "Wrong-Pw-11");
    }

    [Fact]
    public async Task Password_given_in_code_overrides_the_uri()
    {
        await using var server = Start();
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs), userInfo: "alice:Wrong-Pw-11@"),
            new MongoClientOptions { Password = new Secret(Password) });

        Assert.Equal(Verdicts.Ok, report.Verdict);
        Assert.Contains("password: client options", report.Target.Sources);
        AssertNoSecret(report, Password, "Wrong-Pw-11");
    }

    [Fact]
    public async Task User_without_password_stops_after_hello()
    {
        await using var server = Start();
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs), userInfo: "alice@"));

        Assert.Equal(Verdicts.Ok, report.Verdict);
        Assert.False(report.Login!.Attempted);
        Assert.Null(report.Server);
        var skipped = Assert.Single(report.Findings, f => f.Code == FindingCodes.AuthSkipped);
        Assert.Equal("info", skipped.Severity);
        Assert.Contains("DBTLS_PASSWORD", skipped.Remedy, StringComparison.Ordinal);
        Assert.Equal(["OP_MSG isMaster"], Assert.Single(server.Connections).Commands);
    }

    [Fact]
    public async Task No_user_connects_without_authenticating()
    {
        await using var server = Start();
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs), userInfo: null));

        Assert.Equal(Verdicts.Ok, report.Verdict);
        Assert.False(report.Login!.Attempted);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.AuthSkipped);
        var hello = Assert.Single(Assert.Single(server.Connections).HelloCommands.Items);
        Assert.False(hello.Contains("speculativeAuthenticate"));
    }

    [Fact]
    public async Task Mechanism_dbtls_cannot_perform_stops_after_hello_with_a_warning()
    {
        await using var server = Start();
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs, "&authMechanism=PLAIN")));

        Assert.Equal(Verdicts.Ok, report.Verdict);
        Assert.Equal("warning", Assert.Single(report.Findings, f => f.Code == FindingCodes.AuthMechanismUnsupported).Severity);
        Assert.Equal(["OP_MSG isMaster"], Assert.Single(server.Connections).Commands);
    }

    [Fact]
    public async Task Tls_false_logs_in_in_clear_and_warns_that_credentials_travelled_unencrypted()
    {
        await using var server = Start(tls: false);
        var report = await CheckAsync(UriFor(server.Port, "tls=false"));

        Assert.Equal(Verdicts.Ok, report.Verdict);
        Assert.Equal("none", report.Negotiation.Method);
        Assert.False(report.Negotiation.Encrypted);
        Assert.Equal("none", Assert.Single(report.Negotiation.Attempts).Method);
        Assert.Null(report.Tls);
        Assert.Equal("disabled", report.Policy!.Encryption);
        Assert.True(report.Login!.Succeeded);
        var warning = Assert.Single(report.Findings, f => f.Code == FindingCodes.TlsNotUsed);
        Assert.Equal("warning", warning.Severity);
        Assert.Contains("travelled in clear", warning.Message, StringComparison.Ordinal);

        // What the warning says is what happened: the SCRAM conversation is readable on the wire, the password itself is not.
        var wire = Encoding.Latin1.GetString(Assert.Single(server.Connections).RawReceived);
        Assert.Contains("saslContinue", wire, StringComparison.Ordinal);
        Assert.Contains("n=alice", wire, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, wire, StringComparison.Ordinal);
        AssertNoSecret(report, Password);
    }
}

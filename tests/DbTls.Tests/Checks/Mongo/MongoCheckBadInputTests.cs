using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Servers.Mongo;
using static DbTls.Tests.Checks.Mongo.MongoCheckHarness;

namespace DbTls.Tests.Checks.Mongo;

/// <summary>
/// <see cref="MongoCheck"/> against servers that misbehave on purpose: every case ends in a report with a
/// stable code and exit code, in bounded time, without the password anywhere, and with nothing but TLS
/// records on the wire.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MongoCheckBadInputTests(MongoCheckCertificates certs) : IClassFixture<MongoCheckCertificates>
{
    private MongoTestServer Start(MongoHostileMode hostile) =>
        MongoTestServer.Start(new MongoTestServerOptions { Certificate = certs.Base.Server.Certificate, Users = [Alice], Hostile = hostile });

    [Theory]
    [InlineData(MongoHostileMode.CloseMidHandshake, FindingCodes.ServerClosed, 1)]
    [InlineData(MongoHostileMode.TruncatedReply, FindingCodes.ServerClosed, 1)]
    [InlineData(MongoHostileMode.OversizedReply, FindingCodes.ServerMessageTooLarge, 1)]
    [InlineData(MongoHostileMode.LyingBsonLength, FindingCodes.ServerProtocolViolation, 1)]
    [InlineData(MongoHostileMode.Garbage, FindingCodes.ServerMessageTooLarge, 1)]
    [InlineData(MongoHostileMode.BadServerSignature, FindingCodes.AuthServerSignatureInvalid, 1)]
    [InlineData(MongoHostileMode.SkipServerSignature, FindingCodes.AuthServerSignatureInvalid, 1)]
    [InlineData(MongoHostileMode.LowIterationCount, FindingCodes.AuthFailed, 1)]
    public async Task Hostile_server_ends_in_its_code(MongoHostileMode mode, string code, int exitCode)
    {
        await using var server = Start(mode);
        var watch = Stopwatch.StartNew();
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs)), timeout: TimeSpan.FromSeconds(10));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"took {watch.Elapsed}");
        Assert.Equal(code, Failure(report).Code);
        Assert.Equal(exitCode, report.ExitCode);
        Assert.Equal(Verdicts.Rejected, report.Verdict);
        Assert.Equal("failed", Assert.Single(report.Negotiation.Attempts).Outcome);
        Assert.NotNull(report.Tls!.Protocol);
        AssertNoSecret(report, Password);
        AssertOnlyTlsOnTheWire(Assert.Single(server.Connections));
    }

    [Fact]
    public async Task Server_signature_failures_mean_the_login_did_not_count()
    {
        await using var server = Start(MongoHostileMode.BadServerSignature);
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs)));

        Assert.True(report.Login!.Attempted);
        Assert.False(report.Login.Succeeded);
        Assert.Null(report.Server);
    }

    [Fact]
    public async Task Close_on_accept_is_a_closed_connection_not_an_unreachable_server()
    {
        await using var server = Start(MongoHostileMode.CloseOnAccept);
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs)));

        // The reset reaches the client during the TLS handshake or, when it is quick enough, already during connect.
        var failure = Failure(report);
        if (failure.Code == FindingCodes.ServerClosed)
        {
            Assert.Contains("accepted the TCP connection and closed it at once", failure.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(FindingCodes.TlsHandshakeFailed, failure.Code);
            Assert.Contains("broke during the TLS handshake", failure.Message, StringComparison.Ordinal);
        }

        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public async Task Silent_server_after_tls_is_a_timeout_in_the_time_given()
    {
        await using var server = Start(MongoHostileMode.Silent);
        var watch = Stopwatch.StartNew();
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs)), timeout: TimeSpan.FromSeconds(2));

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(6));
        var failure = Failure(report);
        Assert.Equal(FindingCodes.NetTimeout, failure.Code);
        Assert.Contains("within 2 s", failure.Message, StringComparison.Ordinal);
        Assert.Contains("TLS handshake completed, then no answer to hello", failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, report.ExitCode);
        Assert.NotNull(report.Tls!.Protocol);
        AssertOnlyTlsOnTheWire(Assert.Single(server.Connections));
    }

    [Fact]
    public async Task Silent_tcp_peer_times_out_during_the_tls_handshake()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var report = await CheckAsync(UriFor(port, TlsOptions(certs)), timeout: TimeSpan.FromSeconds(1.5));

        Assert.Equal(FindingCodes.NetTimeout, Failure(report).Code);
        Assert.Contains("no answer during the TLS handshake", Failure(report).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silent_seed_costs_connect_timeout_and_the_next_seed_is_used()
    {
        await using var silent = Start(MongoHostileMode.Silent);
        await using var good = Start(MongoHostileMode.None);
        var report = await CheckAsync($"mongodb://alice:{Escape(Password)}@localhost:{silent.Port},localhost:{good.Port}/?{TlsOptions(certs, "&connectTimeoutMS=1000")}");

        Assert.Equal(Verdicts.Ok, report.Verdict);
        Assert.Equal(["failed", "ok"], report.Negotiation.Attempts.Select(a => a.Outcome));
        var warning = Assert.Single(report.Findings, f => f.Code == FindingCodes.NetTimeout);
        Assert.Equal("warning", warning.Severity);
        Assert.Contains("connectTimeoutMS (1 s", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plaintext_hostile_server_also_gets_codes_and_no_password()
    {
        await using var server = MongoTestServer.Start(new MongoTestServerOptions { Users = [Alice], Hostile = MongoHostileMode.LyingBsonLength });
        var report = await CheckAsync(UriFor(server.Port, "tls=false"));

        Assert.Equal(FindingCodes.ServerProtocolViolation, Failure(report).Code);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.TlsNotUsed);
        AssertNoSecret(report, Password);
    }
}

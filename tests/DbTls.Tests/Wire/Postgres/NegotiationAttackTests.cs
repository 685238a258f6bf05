using System.Diagnostics;
using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Servers.PostgresHostile;
using static DbTls.Tests.Servers.PostgresHostile.BackendWriter;

namespace DbTls.Tests.Wire.Postgres;

/// <summary>A hostile server attacks the SSLRequest negotiation; the policy requires TLS.</summary>
[Trait("Category", "Integration")]
public sealed class NegotiationAttackTests
{
    [Theory]
    [InlineData("require", false)]
    [InlineData("verify-full", false)]
    [InlineData("require", true)]
    public async Task Refusal_under_required_tls_fails_before_any_startup_or_password(string sslmode, bool askForPasswordAnyway)
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ExpectSslRequestAsync(ct);
            // The downgrade attack: refuse TLS, then (optionally) ask for a cleartext password at once.
            await c.WriteAsync(askForPasswordAnyway ? [(byte)'N', .. AuthenticationCleartextPassword()] : [(byte)'N']);
            await c.DrainUntilClosedAsync(ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For(sslmode, server.Port, PostgresTestSpecs.Password));
        await Hostile.SettleAsync(server);

        Hostile.AssertFailure(report, FindingCodes.ServerTlsUnsupported, Verdicts.Rejected, ExitCodes.Rejected);
        var connection = Assert.Single(server.Connections);
        Assert.Equal(SslRequestBytes, connection.Received); // nothing but the SSLRequest: no StartupMessage at all
        Hostile.AssertPasswordNeverSent(server, report);
        var attempt = Assert.Single(report.Negotiation.Attempts);
        Assert.Equal(("sslrequest", "N", "failed"), (attempt.Method, attempt.ServerAnswer, attempt.Outcome));
        Assert.False(report.Negotiation.Encrypted);
        Assert.Null(report.Login);
    }

    [Theory]
    [InlineData("require")]
    [InlineData("verify-full")]
    [InlineData("prefer")]
    public async Task Plaintext_bytes_behind_the_S_answer_are_never_fed_to_tls(string sslmode)
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ExpectSslRequestAsync(ct);
            // CVE-2021-23222: 'S' plus a forged plaintext AuthenticationOk in the same segment.
            await c.WriteAsync([(byte)'S'], AuthenticationCleartextPassword(), LoginCompleted("15.0-injected"));
            await c.DrainUntilClosedAsync(ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For(sslmode, server.Port, PostgresTestSpecs.Password));
        await Hostile.SettleAsync(server);

        var failure = Hostile.AssertFailure(report, FindingCodes.ServerUnencryptedDataAfterSslResponse, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains("unencrypted", failure.Message, StringComparison.Ordinal);
        // Not even a ClientHello followed: the injected bytes never reached TLS, and prefer does not fall back on this.
        var connection = Assert.Single(server.Connections);
        Assert.Equal(SslRequestBytes, connection.Received);
        Hostile.AssertPasswordNeverSent(server, report);
        Assert.Null(report.Server);
    }

    [Fact]
    public async Task Error_answer_to_sslrequest_is_shown_as_untrusted_server_error()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ExpectSslRequestAsync(ct);
            await c.WriteAsync(ErrorResponse("FATAL", "53300", "sorry, too many clients already; visit evil.example"));
            await c.DrainUntilClosedAsync(ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("require", server.Port, PostgresTestSpecs.Password));
        await Hostile.SettleAsync(server);

        var failure = Hostile.AssertFailure(report, FindingCodes.ServerError, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains("before TLS; may not come from the real server", failure.Message, StringComparison.Ordinal);
        Assert.Contains("too many clients", failure.Message, StringComparison.Ordinal);
        Assert.Equal(SslRequestBytes, Assert.Single(server.Connections).Received);
        Assert.Equal("E", Assert.Single(report.Negotiation.Attempts).ServerAnswer);
    }

    [Fact]
    public async Task Error_answer_with_control_characters_is_sanitised()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ExpectSslRequestAsync(ct);
            await c.WriteAsync(ErrorResponse("FATAL", "XX000", "line1\u001b[31mred\nline2"));
            await c.DrainUntilClosedAsync(ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("require", server.Port));
        await Hostile.SettleAsync(server);

        var failure = Hostile.AssertFailure(report, FindingCodes.ServerError, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.DoesNotContain('\u001b', failure.Message);
        Assert.DoesNotContain('\n', failure.Message);
    }

    [Fact]
    public async Task Unknown_answer_byte_is_a_protocol_violation()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ExpectSslRequestAsync(ct);
            await c.WriteAsync("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray());
            await c.DrainUntilClosedAsync(ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("prefer", server.Port, PostgresTestSpecs.Password));
        await Hostile.SettleAsync(server);

        var failure = Hostile.AssertFailure(report, FindingCodes.ServerProtocolViolation, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains("0x48", failure.Message, StringComparison.Ordinal);
        Hostile.AssertPasswordNeverSent(server, report);
    }

    [Fact]
    public async Task Server_closing_right_after_S_is_reported_as_closed_connection()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ExpectSslRequestAsync(ct);
            await c.WriteAsync([(byte)'S']);
            c.Close();
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("require", server.Port, PostgresTestSpecs.Password));
        await Hostile.SettleAsync(server);

        Hostile.AssertFailure(report, FindingCodes.ServerClosed, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.NotNull(report.Tls);
        Assert.Null(report.Tls.Protocol);
        Hostile.AssertPasswordNeverSent(server, report);
    }

    [Fact]
    public async Task Server_closing_in_the_middle_of_the_handshake_is_reported_as_closed_connection()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ExpectSslRequestAsync(ct);
            await c.WriteAsync([(byte)'S']);
            var clientHelloHeader = await c.ReadExactlyAsync(5, ct);
            Assert.Equal(0x16, clientHelloHeader[0]); // a TLS handshake record
            await c.WriteAsync([0x16, 0x03, 0x03]); // the start of a ServerHello record, then nothing
            c.Close();
        });

        // require: the TLS engine must get as far as reading the ServerHello (verify-* would stop earlier, on the trust file).
        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("require", server.Port, PostgresTestSpecs.Password));
        await Hostile.SettleAsync(server);

        var failure = Hostile.AssertFailure(report, FindingCodes.ServerClosed, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains("TLS handshake", failure.Message, StringComparison.Ordinal);
        Hostile.AssertPasswordNeverSent(server, report);
        Assert.Equal("failed", Assert.Single(report.Negotiation.Attempts).Outcome);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Silent_server_ends_in_timeout_not_a_hang(bool answerSFirst)
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ExpectSslRequestAsync(ct);
            if (answerSFirst)
            {
                await c.WriteAsync([(byte)'S']); // then never answer the ClientHello
            }

            await c.DrainUntilClosedAsync(ct);
        });

        var watch = Stopwatch.StartNew();
        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("require", server.Port, PostgresTestSpecs.Password), TimeSpan.FromSeconds(1));
        watch.Stop();
        await Hostile.SettleAsync(server);

        Hostile.AssertFailure(report, FindingCodes.NetTimeout, Verdicts.Failed, ExitCodes.Network);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        Hostile.AssertPasswordNeverSent(server, report);
    }

    [Fact]
    public async Task Connect_timeout_from_the_spec_applies_when_options_give_none()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) => await c.DrainUntilClosedAsync(ct));

        var watch = Stopwatch.StartNew();
        var report = await DbTls.Checks.PostgresCheck.RunAsync(
            PostgresTestSpecs.For("prefer", server.Port, connectTimeout: TimeSpan.FromSeconds(1)), new DbTls.Checks.CheckOptions(), CancellationToken.None);
        watch.Stop();

        Hostile.AssertFailure(report, FindingCodes.NetTimeout, Verdicts.Failed, ExitCodes.Network);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
    }
}

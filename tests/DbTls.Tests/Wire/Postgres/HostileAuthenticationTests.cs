using System.Text;
using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Reports;
using DbTls.Tests.Servers.PostgresHostile;
using static DbTls.Tests.Servers.PostgresHostile.BackendWriter;

namespace DbTls.Tests.Wire.Postgres;

/// <summary>Authentication requests a client must refuse or handle with care.</summary>
[Trait("Category", "Integration")]
public sealed class HostileAuthenticationTests
{
    [Theory]
    [InlineData(99, "unknown authentication method (request code 99)")]
    [InlineData(2, "Kerberos V5")]
    [InlineData(6, "SCM credential")]
    [InlineData(7, "GSSAPI")]
    [InlineData(9, "SSPI")]
    public async Task Unsupported_authentication_request_fails_with_a_clear_message(int code, string expected)
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ReadStartupAsync(ct);
            await c.WriteAsync(Authentication(code));
            await c.DrainUntilClosedAsync(ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("disable", server.Port, PostgresTestSpecs.Password));
        await Hostile.SettleAsync(server);

        var failure = Hostile.AssertFailure(report, FindingCodes.AuthFailed, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Hostile.AssertPasswordNeverSent(server, report);
    }

    [Fact]
    public async Task Password_request_without_a_password_stops_the_login_and_keeps_the_verdict()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ReadStartupAsync(ct);
            await c.WriteAsync(AuthenticationCleartextPassword());
            await c.DrainUntilClosedAsync(ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("disable", server.Port, password: null));
        await Hostile.SettleAsync(server);

        Hostile.AssertOk(report);
        Assert.NotNull(report.Login);
        Assert.False(report.Login.Attempted);
        Assert.False(report.Login.Succeeded);
        Assert.Equal("password", report.Login.Mechanism);
        var skipped = Assert.Single(report.Findings, f => f.Code == FindingCodes.AuthSkipped);
        Assert.Equal("info", skipped.Severity);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.TlsNotUsed);
        // After the StartupMessage the client sent nothing but, at most, a Terminate (never a 'p').
        var received = Assert.Single(server.Connections).Received;
        var startupLength = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(received);
        Assert.DoesNotContain((byte)'p', received.Skip(startupLength));
    }

    [Fact]
    public async Task Cleartext_password_under_sslmode_disable_is_sent_and_reported_as_unencrypted()
    {
        byte[]? passwordMessage = null;
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ReadStartupAsync(ct);
            await c.WriteAsync(AuthenticationCleartextPassword());
            passwordMessage = (await c.ReadMessageAsync(ct)).Body;
            await c.WriteAsync(ErrorResponse("FATAL", "28P01", "password authentication failed for user \"alice\""));
            await c.DrainUntilClosedAsync(ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("disable", server.Port, PostgresTestSpecs.Password));
        await Hostile.SettleAsync(server);

        // libpq sends the password in the clear when sslmode allows plaintext; dbtls does the same and says so.
        Assert.Equal([.. Hostile.PasswordBytes, 0], passwordMessage);
        Hostile.AssertFailure(report, FindingCodes.AuthFailed, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.TlsNotUsed && f.Message.Contains("crossed the network unencrypted", StringComparison.Ordinal));
        Hostile.AssertPasswordNotInReport(report);
        Assert.True(report.Login?.Attempted);
    }

    [Fact]
    public async Task Channel_binding_required_over_plaintext_sends_no_credential()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ReadStartupAsync(ct);
            await c.WriteAsync(AuthenticationSasl("SCRAM-SHA-256"));
            await c.DrainUntilClosedAsync(ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("disable", server.Port, PostgresTestSpecs.Password, ChannelBindingMode.Require));
        await Hostile.SettleAsync(server);

        Hostile.AssertFailure(report, FindingCodes.AuthChannelBinding, Verdicts.Rejected, ExitCodes.Rejected);
        Hostile.AssertPasswordNeverSent(server, report);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(0)]
    public async Task Channel_binding_required_rejects_methods_without_binding(int authenticationCode)
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ReadStartupAsync(ct);
            await c.WriteAsync(authenticationCode == 5 ? AuthenticationMd5Password([1, 2, 3, 4]) : authenticationCode == 0 ? LoginCompleted("15.0") : Authentication(authenticationCode));
            await c.DrainUntilClosedAsync(ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("disable", server.Port, PostgresTestSpecs.Password, ChannelBindingMode.Require));
        await Hostile.SettleAsync(server);

        Hostile.AssertFailure(report, FindingCodes.AuthChannelBinding, Verdicts.Rejected, ExitCodes.Rejected);
        Hostile.AssertPasswordNeverSent(server, report);
    }

    [Fact]
    public async Task Scram_plus_offered_without_tls_means_tls_was_stripped()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ReadStartupAsync(ct);
            await c.WriteAsync(AuthenticationSasl("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"));
            await c.DrainUntilClosedAsync(ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("disable", server.Port, PostgresTestSpecs.Password));
        await Hostile.SettleAsync(server);

        var failure = Hostile.AssertFailure(report, FindingCodes.ServerProtocolViolation, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains("SCRAM-SHA-256-PLUS", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_sasl_mechanisms_fail_authentication()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ReadStartupAsync(ct);
            await c.WriteAsync(AuthenticationSasl("OAUTHBEARER"));
            await c.DrainUntilClosedAsync(ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("disable", server.Port, PostgresTestSpecs.Password));
        await Hostile.SettleAsync(server);

        var failure = Hostile.AssertFailure(report, FindingCodes.AuthFailed, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains("OAUTHBEARER", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>An impostor runs SCRAM up to the point where it would have to prove it knows the password.</summary>
    private static HostilePostgresServer ScramImpostor(bool skipFinal) => HostilePostgresServer.Start(async (c, ct) =>
    {
        await c.ReadStartupAsync(ct);
        await c.WriteAsync(AuthenticationSasl("SCRAM-SHA-256"));
        var initial = await c.ReadMessageAsync(ct);
        var text = Encoding.ASCII.GetString(initial.Body);
        Assert.StartsWith("SCRAM-SHA-256\0", text, StringComparison.Ordinal);
        var clientFirst = text[(text.IndexOf("n,,", StringComparison.Ordinal) + 3)..];
        var clientNonce = clientFirst[(clientFirst.IndexOf("r=", StringComparison.Ordinal) + 2)..];
        await c.WriteAsync(AuthenticationSaslContinue($"r={clientNonce}impostor,s={Convert.ToBase64String(new byte[16])},i=4096"));
        var final = await c.ReadMessageAsync(ct);
        Assert.Contains(",p=", Encoding.ASCII.GetString(final.Body), StringComparison.Ordinal);
        await c.WriteAsync(skipFinal ? LoginCompleted("15.0") : [.. AuthenticationSaslFinal($"v={Convert.ToBase64String(new byte[32])}"), .. LoginCompleted("15.0")]);
        await c.DrainUntilClosedAsync(ct);
    });

    [Theory]
    [InlineData(false, "SCRAM signature is wrong")]
    [InlineData(true, "before completing SCRAM")]
    public async Task Server_that_cannot_prove_it_knows_the_password_is_rejected(bool skipFinal, string expected)
    {
        await using var server = ScramImpostor(skipFinal);

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("disable", server.Port, PostgresTestSpecs.Password));
        await Hostile.SettleAsync(server);

        var failure = Hostile.AssertFailure(report, FindingCodes.AuthFailed, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.False(report.Login?.Succeeded);
        // SCRAM never puts the password itself on the wire.
        Hostile.AssertPasswordNeverSent(server, report);
    }

    [Fact]
    public async Task Absurd_scram_iteration_count_is_refused()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ReadStartupAsync(ct);
            await c.WriteAsync(AuthenticationSasl("SCRAM-SHA-256"));
            var initial = Encoding.ASCII.GetString((await c.ReadMessageAsync(ct)).Body);
            var nonce = initial[(initial.IndexOf("r=", StringComparison.Ordinal) + 2)..];
            await c.WriteAsync(AuthenticationSaslContinue($"r={nonce}x,s=AAAAAAAAAAAAAAAAAAAAAA==,i=2147483647"));
            await c.DrainUntilClosedAsync(ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("disable", server.Port, PostgresTestSpecs.Password), TimeSpan.FromSeconds(10));
        await Hostile.SettleAsync(server);

        var failure = Hostile.AssertFailure(report, FindingCodes.AuthFailed, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains("iterations", failure.Message, StringComparison.Ordinal);
    }
}

using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Checks.Tds;

/// <summary>
/// The SQL Server check against the TDS test server, one path at a time: full, login-only and no
/// encryption, TDS 8.0 strict, no password, wrong password, certificate validation and the
/// server's view. The server's byte recording proves where LOGIN7 travelled.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TdsCheckTests : IClassFixture<TdsTestCertificates>, IDisposable
{
    private readonly TdsTestCertificates _certs;
    private readonly TdsTargets _targets;

    public TdsCheckTests(TdsTestCertificates certs)
    {
        _certs = certs;
        _targets = new TdsTargets(certs);
    }

    public void Dispose() => _targets.Dispose();

    internal static Task<CheckReport> CheckAsync(DbTls.Dialects.Tds.TdsConnectionSpec spec, double timeoutSeconds = 15) =>
        TdsCheck.RunAsync(spec, new CheckOptions { Timeout = TimeSpan.FromSeconds(timeoutSeconds) }, CancellationToken.None);

    internal static void AssertNoCredentialsInClear(TdsTestServer server, TdsConnectionRecord record)
    {
        Assert.False(record.RawContainsUtf16(server.Options.User), "the user name crossed the wire in clear");
        Assert.True(record.RawReceived.ToArray().AsSpan().IndexOf(Login7Password.Obfuscate(server.Options.Password)) < 0, "the LOGIN7 password crossed the wire in clear");
    }

    private static string Codes(CheckReport report) => string.Join(", ", report.Findings.Select(f => $"{f.Code}: {f.Message}"));

    [Fact]
    public async Task Mandatory_encrypts_everything_and_reads_the_servers_view()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions());

        var report = await CheckAsync(_targets.Spec(server, DriverSetting.SqlClientMandatory));

        Assert.True(report.Verdict == Verdicts.Ok, Codes(report));
        Assert.Equal(0, report.ExitCode);
        Assert.Equal("prelogin", report.Negotiation.Method);
        Assert.Equal("full", report.Negotiation.Scope);
        Assert.True(report.Negotiation.Encrypted);
        Assert.Equal("ON", report.Negotiation.EncryptionSent);
        Assert.Equal("ON", report.Negotiation.EncryptionReceived);
        var attempt = Assert.Single(report.Negotiation.Attempts);
        Assert.Equal($"127.0.0.1:{server.Port}", attempt.Endpoint);
        Assert.Equal("ON", attempt.ServerAnswer);
        Assert.Equal("ok", attempt.Outcome);
        Assert.Equal("TLSv1.2", report.Tls!.Protocol);
        Assert.True(report.Login!.Succeeded);
        Assert.Equal("TRUE", report.Server!.EncryptOption);
        Assert.Equal("TSQL", report.Server.ProtocolType);
        Assert.Equal("SQL", report.Server.AuthScheme);
        Assert.Equal("Microsoft SQL Server 16.0.4135", report.Server.ServerVersion);

        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.True(record.LoginViaTls);
        Assert.True(record.EncryptedAfterLogin);
        Assert.Equal([TdsCheck.ServerViewQuery], record.Batches);
        AssertNoCredentialsInClear(server, record);
        Assert.False(record.RawContainsUtf16(TdsCheck.ServerViewQuery));
    }

    [Theory]
    [InlineData(DriverSetting.JdbcStrict)]
    [InlineData(DriverSetting.FreeTdsStrict)]
    public async Task Strict_puts_tls_first_with_alpn_tds80_and_prelogin_inside(DriverSetting setting)
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { Strict = TdsStrictMode.Required }));

        var report = await CheckAsync(_targets.Spec(server, setting));

        Assert.True(report.Verdict == Verdicts.Ok, Codes(report));
        Assert.Equal("strict", report.Negotiation.Method);
        Assert.Equal("full", report.Negotiation.Scope);
        Assert.Equal("NOT_SUP", report.Negotiation.EncryptionSent);
        Assert.Equal("NOT_SUP", report.Negotiation.EncryptionReceived);
        Assert.Equal("tds/8.0", report.Tls!.Alpn);
        Assert.Equal("TLSv1.3", report.Tls.Protocol);
        Assert.Contains("tds/8.0", report.Policy!.Alpn);
        Assert.Contains(report.Tls.Validation, s => s.Step == "chain" && s.Outcome == "passed");
        Assert.Equal("TRUE", report.Server!.EncryptOption);

        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.True(record.Strict);
        Assert.Equal("tds/8.0", record.Alpn);
        Assert.Equal(TdsVersions.V8_0, record.Login!.TdsVersion);
        Assert.All(record.Messages, m => Assert.True(m.ViaTls));
        AssertNoCredentialsInClear(server, record);
    }

    [Fact]
    public async Task Strict_ignores_trust_server_certificate_and_validates()
    {
        // SqlClient trusts only the system store; the test chain is not in it. TrustServerCertificate=True
        // does not help under Encrypt=Strict, and no LOGIN7 goes out.
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { Strict = TdsStrictMode.Required }));

        var report = await CheckAsync(_targets.Spec(server, DriverSetting.SqlClientStrict, trustServerCertificate: true));

        Assert.Equal(Verdicts.Rejected, report.Verdict);
        Assert.Equal(1, report.ExitCode);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.CertUntrusted && f.Severity == "error");
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.ConfigNote && f.Message.Contains("TrustServerCertificate=True is ignored", StringComparison.Ordinal));
        Assert.Equal("strict", report.Negotiation.Method);
        Assert.Equal("chain-and-hostname", report.Policy!.Verification);
        Assert.Contains(report.Tls!.Validation, s => s.Step == "chain" && s.Outcome == "failed");
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.DoesNotContain(record.Messages, m => m.Type == TdsPacketType.Login7);
        AssertNoCredentialsInClear(server, record);
    }

    [Fact]
    public async Task Strict_against_a_server_without_tds8_is_a_closed_connection()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { Strict = TdsStrictMode.Disallowed }));

        var report = await CheckAsync(_targets.Spec(server, DriverSetting.JdbcStrict));

        Assert.Equal(Verdicts.Rejected, report.Verdict);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.ServerClosed);
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        AssertNoCredentialsInClear(server, record);
    }

    [Theory]
    [InlineData(DriverSetting.SqlClientMandatory)]
    [InlineData(DriverSetting.JdbcFalse)]
    [InlineData(DriverSetting.FreeTdsRequire)]
    public async Task Without_a_password_the_check_stops_before_login7(DriverSetting setting)
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions());

        var report = await CheckAsync(_targets.Spec(server, setting, withPassword: false));

        Assert.True(report.Verdict == Verdicts.Ok, Codes(report));
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.AuthSkipped);
        Assert.False(report.Login!.Attempted);
        Assert.Null(report.Server);
        Assert.NotNull(report.Tls);
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.True(record.TlsHandshakeCompleted);
        Assert.DoesNotContain(record.Messages, m => m.Type == TdsPacketType.Login7);
    }

    [Fact]
    public async Task A_wrong_password_is_auth_failed_with_the_servers_message_and_never_printed()
    {
        const string wrong = "Wr0ng-Passw0rd-x9";
        await using var server = TdsTestServer.Start(_certs.ServerOptions());

        var report = await CheckAsync(_targets.Spec(server, DriverSetting.SqlClientMandatory, password: wrong));

        Assert.Equal(Verdicts.Rejected, report.Verdict);
        Assert.Equal(1, report.ExitCode);
        var failure = Assert.Single(report.Findings, f => f.Code == FindingCodes.AuthFailed);
        Assert.Contains("18456", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Login failed for user 'dbtls'.", failure.Message, StringComparison.Ordinal);
        Assert.True(report.Login!.Attempted);
        Assert.False(report.Login.Succeeded);
        Assert.DoesNotContain(wrong, ReportJson.Serialize(report), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_view_server_state_is_a_warning_not_a_failure()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { DenyViewServerState = true }));

        var report = await CheckAsync(_targets.Spec(server, DriverSetting.JdbcTrue));

        Assert.True(report.Verdict == Verdicts.Ok, Codes(report));
        var warning = Assert.Single(report.Findings, f => f.Code == FindingCodes.ServerViewUnavailable);
        Assert.Equal("warning", warning.Severity);
        Assert.Contains("error 300", warning.Message, StringComparison.Ordinal);
        Assert.Contains("VIEW SERVER STATE permission was denied", warning.Message, StringComparison.Ordinal);
        Assert.Null(report.Server!.EncryptOption);
        Assert.True(report.Login!.Succeeded);
    }

    [Theory]
    [InlineData(DriverSetting.JdbcTrue, "FALSE", "terminates TLS")]
    [InlineData(DriverSetting.JdbcFalse, "TRUE", "adds TLS")]
    public async Task The_servers_view_is_cross_checked_against_the_negotiated_scope(DriverSetting setting, string reported, string messagePart)
    {
        // JDBC encrypt=true gets full encryption, encrypt=false against a server that is not forcing gets login-only.
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { EncryptOptionOverride = reported }));

        var report = await CheckAsync(_targets.Spec(server, setting));

        Assert.True(report.Verdict == Verdicts.Ok, Codes(report));
        Assert.Equal(reported, report.Server!.EncryptOption);
        var mismatch = Assert.Single(report.Findings, f => f.Code == FindingCodes.ServerEncryptionMismatch);
        Assert.Equal("warning", mismatch.Severity);
        Assert.Contains(messagePart, mismatch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_from_another_root_is_rejected_before_login7()
    {
        using var other = new TdsTestCertificates();
        await using var server = TdsTestServer.Start(other.ServerOptions());

        var report = await CheckAsync(_targets.Spec(server, DriverSetting.FreeTdsRequire));

        Assert.Equal(Verdicts.Rejected, report.Verdict);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.CertUntrusted && f.Severity == "error");
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.DoesNotContain(record.Messages, m => m.Type == TdsPacketType.Login7);
        AssertNoCredentialsInClear(server, record);
    }

    [Fact]
    public async Task Login_only_tls_of_sqlclient_accepts_any_certificate_and_says_so()
    {
        using var other = new TdsTestCertificates();
        await using var server = TdsTestServer.Start(other.ServerOptions());

        // Encrypt=Optional without TrustServerCertificate: validation would fail, but login-only TLS never validates.
        var report = await CheckAsync(_targets.Spec(server, DriverSetting.SqlClientOptional, trustServerCertificate: false));

        Assert.True(report.Verdict == Verdicts.Ok, Codes(report));
        Assert.Equal("login-only", report.Negotiation.Scope);
        var chain = Assert.Single(report.Tls!.Validation, s => s.Step == "chain");
        Assert.Equal("skipped", chain.Outcome);
        Assert.Contains("accepts any certificate", chain.Detail, StringComparison.Ordinal);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.CertNotVerified && f.Message.Contains("can read the password", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.TlsLoginOnly);
    }

    [Fact]
    public async Task Tls13_is_never_offered_inside_prelogin_packets()
    {
        // A server that only does TLS 1.3 in the wrapped handshake: dbtls, like SqlClient and tsql, stays at TLS 1.2 there.
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { WrappedTlsProtocols = System.Security.Authentication.SslProtocols.Tls13 }));

        var report = await CheckAsync(_targets.Spec(server, DriverSetting.JdbcTrue));

        Assert.Equal(Verdicts.Rejected, report.Verdict);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.TlsProtocolVersion);
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.DoesNotContain(record.Messages, m => m.Type == TdsPacketType.Login7);
    }

    [Fact]
    public async Task The_drivers_login_timeout_is_the_deadline()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { Misbehavior = TdsServerMisbehavior.Silent }));
        var spec = _targets.Spec(server, DriverSetting.SqlClientMandatory) with { LoginTimeout = TimeSpan.FromSeconds(1) };

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var report = await TdsCheck.RunAsync(spec, new CheckOptions(), CancellationToken.None);

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        var timeout = Assert.Single(report.Findings, f => f.Code == FindingCodes.NetTimeout);
        Assert.Contains("within 1 s (during PRELOGIN)", timeout.Message, StringComparison.Ordinal);
        Assert.Equal(3, report.ExitCode);
        Assert.Equal(Verdicts.Failed, report.Verdict);
    }

    [Fact]
    public async Task A_closed_port_is_net_unreachable()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var spec = DbTls.Dialects.SqlClient.SqlClientConnectionString.Parse($"Data Source=tcp:127.0.0.1,{port};User ID=u;Password=p;Encrypt=Mandatory");
        var report = await CheckAsync(spec);

        Assert.Contains(report.Findings, f => f.Code == FindingCodes.NetUnreachable);
        Assert.Equal(3, report.ExitCode);
        Assert.Equal(Verdicts.Failed, report.Verdict);
        Assert.Null(report.Login);
    }

    [Fact]
    public async Task Legacy_tls_opted_in_through_freetds_conf_goes_through_the_check_with_a_warning()
    {
        // The check hands spec.Tls to TlsClient unchanged (capped at TLS 1.2), so the legacy engine applies:
        // enable tls v1 = yes reaches a server that only speaks TLS 1.0 inside PRELOGIN packets.
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new()
        {
            Encryption = PreLoginEncryption.On,
            LegacyWrappedTls = DbTls.Policy.TlsProtocolVersion.Tls10,
        }));
        var section = _targets.WriteFreeTdsConf(server, DriverSetting.FreeTdsRequire, "    enable tls v1 = yes\n");
        var spec = DbTls.Dialects.FreeTds.FreeTdsConnection.Parse($"freetds:{section}", server.Options.User, _targets.FreeTdsEnvironment(server.Options.Password));

        var report = await CheckAsync(spec);

        Assert.True(report.Verdict == Verdicts.Ok, Codes(report));
        Assert.Equal("TLSv1", report.Tls!.Protocol);
        Assert.Equal("full", report.Negotiation.Scope);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.TlsWeakProtocol && f.Severity == "warning");
        Assert.Equal("TRUE", report.Server!.EncryptOption);
        AssertNoCredentialsInClear(server, Assert.Single(await server.WaitForConnectionsAsync()));
    }

    [Fact]
    public async Task Legacy_tls_without_the_opt_in_is_refused_before_login7()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new()
        {
            Encryption = PreLoginEncryption.On,
            LegacyWrappedTls = DbTls.Policy.TlsProtocolVersion.Tls10,
        }));

        var report = await CheckAsync(_targets.Spec(server, DriverSetting.FreeTdsRequire));

        // The wrapped handshake offers exactly TLS 1.2; this BouncyCastle TLS 1.0 server answers such a
        // ClientHello with a handshake_failure alert (measured), not protocol_version, so the code is the
        // generic one. What matters: refused in the handshake, and no LOGIN7.
        Assert.Equal(Verdicts.Rejected, report.Verdict);
        Assert.Contains(report.Findings, f => f.Code is FindingCodes.TlsProtocolVersion or FindingCodes.TlsHandshakeFailed && f.Severity == "error");
        Assert.Equal("TLSv1.2", report.Policy!.MaxProtocol);
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.False(record.TlsHandshakeCompleted);
        Assert.DoesNotContain(record.Messages, m => m.Type == TdsPacketType.Login7);
        AssertNoCredentialsInClear(server, record);
    }
}

using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Dialects.Jdbc;
using DbTls.Policy;
using DbTls.Reports;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Tls.Legacy;

/// <summary>
/// End to end through the SQL Server check: the TDS test server speaking only TLS 1.0 inside PRELOGIN
/// packets, freetds.conf with and without <c>enable tls v1 = yes</c>, JDBC <c>sslProtocol=TLSv1</c>.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LegacyTdsCheckTests(TdsTestCertificates certs) : IClassFixture<TdsTestCertificates>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dbtls-legacy-check-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TdsTestServer Start(PreLoginEncryption encryption = PreLoginEncryption.On) =>
        TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions { Encryption = encryption, LegacyWrappedTls = TlsProtocolVersion.Tls10 }));

    private static Task<CheckReport> CheckAsync(DbTls.Dialects.Tds.TdsConnectionSpec spec) =>
        TdsCheck.RunAsync(spec, new CheckOptions { Timeout = TimeSpan.FromSeconds(20) }, CancellationToken.None);

    private static string Codes(CheckReport report) => string.Join(", ", report.Findings.Select(f => $"{f.Code}: {f.Message}"));

    [Fact]
    public async Task Freetds_enable_tls_v1_connects_with_a_warning()
    {
        await using var server = Start();
        var spec = LegacyTdsClient.FreeTdsSpec(LegacyTdsClient.WriteFreeTdsConf(_dir, server, certs.RootPemPath, "  enable tls v1 = yes\n"), server);

        var report = await CheckAsync(spec);

        Assert.True(report.Verdict == Verdicts.Ok, Codes(report));
        Assert.Equal(0, report.ExitCode);
        Assert.Equal("full", report.Negotiation.Scope);
        Assert.Equal("TLSv1", report.Tls!.Protocol);
        Assert.StartsWith("TLS_", report.Tls.CipherSuite, StringComparison.Ordinal);
        Assert.Contains(report.Tls.Validation, s => s.Step == "chain" && s.Outcome == "passed");
        Assert.Contains(report.Tls.Validation, s => s.Step == "hostname" && s.Outcome == "passed");
        // One finding per code: the dialect's warning about the setting stands for the handshake's too.
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.TlsWeakProtocol && f.Severity == "warning");
        Assert.Equal("TRUE", report.Server!.EncryptOption);

        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.Equal("Tls", record.TlsProtocol);
        Assert.True(record.EncryptedAfterLogin);
        AssertNoCredentialsInClear(server, record);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  enable tls v1 = no\n")]
    public async Task Freetds_without_the_opt_in_is_rejected_before_login(string setting)
    {
        await using var server = Start();
        var spec = LegacyTdsClient.FreeTdsSpec(LegacyTdsClient.WriteFreeTdsConf(_dir, server, certs.RootPemPath, setting), server);

        var report = await CheckAsync(spec);

        Assert.Equal(Verdicts.Rejected, report.Verdict);
        Assert.Equal(1, report.ExitCode);
        // TDS 7.x offers at most TLS 1.2, and a TLS-1.0-only server answers that ClientHello with handshake_failure
        // (not protocol_version), but in a TLS 1.0 record: that record version makes it a protocol-version finding.
        var finding = Assert.Single(report.Findings, f => f.Code == FindingCodes.TlsProtocolVersion);
        Assert.Contains("handshake_failure alert in a TLSv1 record", finding.Message, StringComparison.Ordinal);
        Assert.Contains("enable tls v1 = yes", finding.Remedy, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Findings, f => f.Code == FindingCodes.TlsHandshakeFailed);
        Assert.Null(report.Tls!.Protocol);
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.DoesNotContain(record.Messages, m => m.Type == TdsPacketType.Login7);
        AssertNoCredentialsInClear(server, record);
    }

    [Fact]
    public async Task Freetds_request_against_a_server_with_encryption_off_encrypts_the_login_over_tls10()
    {
        await using var server = Start(PreLoginEncryption.Off);
        var spec = LegacyTdsClient.FreeTdsSpec(LegacyTdsClient.WriteFreeTdsConf(_dir, server, certs.RootPemPath, "  enable tls v1 = yes\n", encryption: "request"), server);

        var report = await CheckAsync(spec);

        Assert.Equal("login-only", report.Negotiation.Scope);
        Assert.Equal("TLSv1", report.Tls!.Protocol);
        Assert.True(report.Login!.Succeeded, Codes(report));
        Assert.Equal("FALSE", report.Server!.EncryptOption);
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.True(record.LoginViaTls);
        Assert.False(record.EncryptedAfterLogin);
        AssertNoCredentialsInClear(server, record);
    }

    [Fact]
    public async Task Jdbc_ssl_protocol_tlsv1_connects_with_a_warning()
    {
        await using var server = Start();
        var spec = JdbcConnectionString.Parse($"jdbc:sqlserver://localhost:{server.Port};encrypt=true;trustServerCertificate=true;sslProtocol=TLSv1")
            with
        { User = server.Options.User, Password = new Secret(server.Options.Password) };

        var report = await CheckAsync(spec);

        Assert.True(report.Verdict == Verdicts.Ok, Codes(report));
        Assert.Equal("TLSv1", report.Tls!.Protocol);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.TlsWeakProtocol && f.Severity == "warning");
    }

    private static void AssertNoCredentialsInClear(TdsTestServer server, TdsConnectionRecord record)
    {
        Assert.False(record.RawContainsUtf16(server.Options.User), "the user name crossed the wire in clear");
        Assert.True(record.RawReceived.ToArray().AsSpan().IndexOf(Login7Password.Obfuscate(server.Options.Password)) < 0, "the LOGIN7 password crossed the wire in clear");
    }
}

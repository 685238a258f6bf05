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
}

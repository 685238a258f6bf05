using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Checks.Tds;
using DbTls.Tests.Servers.Tds;

namespace DbTls.Tests.EndToEnd.Native;

/// <summary>
/// The published binary against the TDS test server in each SQL Server dialect: SqlClient, JDBC with a PKCS#12
/// trust store (the host name checked by the JDBC driver's rules, with and without hostNameInCertificate), and a
/// freetds.conf section, each accepted and refused as the in-process run says.
/// </summary>
[Trait("Category", "Native")]
[Trait("Category", "Integration")]
public sealed class NativeTdsTests(TdsTestCertificates certs) : IClassFixture<TdsTestCertificates>, IDisposable
{
    private readonly TdsTestCertificates _certs = certs;
    private readonly TdsTargets _targets = new(certs);

    public void Dispose() => _targets.Dispose();

    private string Jdbc(TdsTestServer server, string host, string extra) =>
        $"jdbc:sqlserver://{host}:{server.Port};user={server.Options.User};password={{{server.Options.Password}}};encrypt=true;" +
        $"trustStore={_targets.TrustStore};trustStorePassword={TdsTargets.TrustStorePassword};trustStoreType=PKCS12;loginTimeout=10{extra}";

    private static string SqlClient(TdsTestServer server, string extra) =>
        $"Data Source={server.DataSource()};User ID={server.Options.User};Password={server.Options.Password};Encrypt=Mandatory;Connect Timeout=10;{extra}";

    private static async Task<NativeParityResult> OkAsync(TdsTestServer server, string[] args, Dictionary<string, string>? environment = null)
    {
        var run = await NativeParity.RunAsync([.. args, "--timeout", "15"], environment);
        Assert.True(run.Native.ExitCode == ExitCodes.Ok, run.Native.ToString());
        Assert.Equal(Verdicts.Ok, run.Report.Verdict);
        Assert.Equal("TRUE", run.Report.Server?.EncryptOption);
        Assert.DoesNotContain(server.Options.Password, run.Native.Stdout + run.Native.Stderr, StringComparison.Ordinal);
        Assert.All(await server.WaitForConnectionsAsync(2), r => Assert.True(r.LoginSucceeded, r.ToString()));
        return run;
    }

    private static async Task<NativeParityResult> RejectedAsync(TdsTestServer server, string code, string[] args, Dictionary<string, string>? environment = null)
    {
        var run = await NativeParity.RunAsync([.. args, "--timeout", "15"], environment);
        Assert.True(run.Native.ExitCode == ExitCodes.Rejected, run.Native.ToString());
        Assert.Contains(code, run.Codes);
        Assert.All(server.Connections, r => Assert.False(r.LoginSucceeded, r.ToString()));
        return run;
    }

    [Fact]
    public async Task Jdbc_trust_store_and_the_server_name_in_the_certificate()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions());
        await OkAsync(server, [Jdbc(server, "localhost", "")]);
    }

    [Fact]
    public async Task Jdbc_trust_store_and_host_name_in_certificate()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions());
        await OkAsync(server, [Jdbc(server, "127.0.0.1", ";hostNameInCertificate=localhost")]);
    }

    [Fact]
    public async Task Jdbc_host_name_in_certificate_that_the_certificate_does_not_name()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions());
        await RejectedAsync(server, FindingCodes.CertHostnameMismatch, [Jdbc(server, "127.0.0.1", ";hostNameInCertificate=db.example.com")]);
    }

    [Fact]
    public async Task SqlClient_trusting_the_server_certificate()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions());
        await OkAsync(server, [SqlClient(server, "TrustServerCertificate=true")]);
    }

    [Fact]
    public async Task SqlClient_with_the_system_trust_store_refuses_the_test_ca()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions());
        await RejectedAsync(server, FindingCodes.CertUntrusted, [SqlClient(server, "TrustServerCertificate=false")]);
    }

    [Fact]
    public async Task FreeTds_conf_with_the_ca_file()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions());
        var section = _targets.WriteFreeTdsConf(server, DriverSetting.FreeTdsRequire);
        await OkAsync(server, ["freetds:" + section, "--user", server.Options.User], FreeTdsEnvironment(server.Options.Password));
    }

    [Fact]
    public async Task FreeTds_conf_whose_ca_file_did_not_issue_the_server_certificate()
    {
        using var other = TdsTestCertificates.Create("localhost");
        await using var server = TdsTestServer.Start(other.ServerOptions());
        var section = _targets.WriteFreeTdsConf(server, DriverSetting.FreeTdsRequire);
        await RejectedAsync(server, FindingCodes.CertUntrusted, ["freetds:" + section, "--user", server.Options.User], FreeTdsEnvironment(server.Options.Password));
    }

    private Dictionary<string, string> FreeTdsEnvironment(string password) => new()
    {
        ["HOME"] = _targets.Directory,
        ["FREETDSCONF"] = _targets.FreeTdsConfPath,
        ["DBTLS_PASSWORD"] = password,
    };
}

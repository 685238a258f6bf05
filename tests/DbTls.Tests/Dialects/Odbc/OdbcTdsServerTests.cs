using DbTls.Reports;
using DbTls.Tests.Cli;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Dialects.Odbc;

/// <summary>
/// ODBC Driver 18 strings through <c>dbtls check</c> against the TDS test server answering each PRELOGIN encryption
/// value: the documented table (OdbcConnectionStringTests) carried out end to end. The test root is not in the system
/// store, so TrustServerCertificate=no must end in a certificate rejection and never in a login.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OdbcTdsServerTests(TdsTestCertificates certs) : IClassFixture<TdsTestCertificates>
{
    [Theory]
    [InlineData("Encrypt=no", "OFF", "ok", "login-only")]
    [InlineData("Encrypt=yes;TrustServerCertificate=yes", "OFF", "ok", "full")]
    [InlineData("TrustServerCertificate=yes", "REQ", "ok", "full")]
    [InlineData("Encrypt=no;TrustServerCertificate=yes", "REQ", "ok", "full")]
    [InlineData("Encrypt=no", "REQ", "rejected", null)]
    [InlineData("Encrypt=yes", "OFF", "rejected", null)]
    [InlineData("Encrypt=yes;TrustServerCertificate=yes", "NOT_SUP", "rejected", null)]
    public async Task The_documented_row_holds_against_the_server(string settings, string answer, string verdict, string? scope)
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions
        {
            EncryptionAnswerOverride = answer switch
            {
                "OFF" => PreLoginEncryption.Off,
                "NOT_SUP" => PreLoginEncryption.NotSupported,
                _ => PreLoginEncryption.Required,
            },
        }));
        var password = server.Options.Password;
        var text = $"Driver={{ODBC Driver 18 for SQL Server}};Server=tcp:127.0.0.1,{server.Port};UID={server.Options.User};PWD={{{password}}};{settings}";

        var result = await CliRun.RunAsync(["check", text, "--format", "json", "--timeout", "15"], new Dictionary<string, string>());

        var report = ReportJson.Deserialize(result.Stdout)!;
        Assert.True(verdict == report.Verdict, result.All);
        Assert.Equal("odbc", report.Target.Dialect);
        Assert.DoesNotContain(password, result.All, StringComparison.Ordinal);
        if (scope is not null)
        {
            Assert.Equal(scope, report.Negotiation.Scope);
            Assert.True(report.Login?.Succeeded, result.All);
        }
        else
        {
            Assert.NotEqual(true, report.Login?.Succeeded);
        }
    }
}

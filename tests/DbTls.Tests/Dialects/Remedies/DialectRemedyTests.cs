using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Checks.Mongo;
using DbTls.Tests.Checks.Tds;
using DbTls.Tests.Servers.Mongo;
using DbTls.Tests.Servers.Tds;

namespace DbTls.Tests.Dialects.Remedies;

/// <summary>
/// End to end through the checks against the TDS and MongoDB test servers: a refused certificate's remedy names
/// the option of the dialect the user wrote, never libpq's sslrootcert/sslmode.
/// </summary>
public sealed class DialectRemedyTests(TdsTestCertificates certs, MongoCheckCertificates mongoCerts)
    : IClassFixture<TdsTestCertificates>, IClassFixture<MongoCheckCertificates>
{
    private static readonly string[] LibpqWords = ["sslrootcert", "sslmode", "sslcert", "libpq"];

    private static FindingReport Refusal(CheckReport report, string code)
    {
        Assert.Equal(Verdicts.Rejected, report.Verdict);
        var failure = report.Findings.Last(f => f.Severity == "error");
        Assert.Equal(code, failure.Code);
        Assert.All(report.Findings, f => Assert.All(LibpqWords, w => Assert.DoesNotContain(w, f.Remedy, StringComparison.Ordinal)));
        return failure;
    }

    [Theory]
    [InlineData(DriverSetting.SqlClientMandatory, "ServerCertificate=")]
    [InlineData(DriverSetting.JdbcTrue, "trustStore=")]
    [InlineData(DriverSetting.FreeTdsRequire, "ca file")]
    public async Task An_untrusted_certificate_names_the_dialects_trust_option(DriverSetting setting, string option)
    {
        using var other = new TdsTestCertificates();
        using var targets = new TdsTargets(certs);
        await using var server = TdsTestServer.Start(other.ServerOptions());

        var report = await TdsCheckTests.CheckAsync(targets.Spec(server, setting, trustServerCertificate: false));

        Assert.Contains(option, Refusal(report, FindingCodes.CertUntrusted).Remedy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DriverSetting.JdbcTrue, "hostNameInCertificate=")]
    [InlineData(DriverSetting.FreeTdsRequire, "'host'")]
    public async Task A_host_name_mismatch_names_the_dialects_host_name_option(DriverSetting setting, string option)
    {
        // The leaf names only db.example.test; JDBC checks hostNameInCertificate=localhost, FreeTDS the host 127.0.0.1.
        using var wrongName = TdsTestCertificates.Create("db.example.test", includeLoopbackIp: false);
        using var targets = new TdsTargets(wrongName);
        await using var server = TdsTestServer.Start(wrongName.ServerOptions());

        var report = await TdsCheckTests.CheckAsync(targets.Spec(server, setting));

        Assert.Contains(option, Refusal(report, FindingCodes.CertHostnameMismatch).Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MongoDB_remedies_name_tlsCAFile_and_tlsAllowInvalidHostnames()
    {
        await using var untrusted = Start(mongoCerts.Untrusted);
        var report = await MongoCheckHarness.CheckAsync(MongoCheckHarness.UriFor(untrusted.Port, MongoCheckHarness.TlsOptions(mongoCerts)));
        Assert.Contains("tlsCAFile=", Refusal(report, FindingCodes.CertUntrusted).Remedy, StringComparison.Ordinal);

        await using var wrongHost = Start(mongoCerts.WrongHost);
        report = await MongoCheckHarness.CheckAsync(MongoCheckHarness.UriFor(wrongHost.Port, MongoCheckHarness.TlsOptions(mongoCerts)));
        Assert.Contains("tlsAllowInvalidHostnames", Refusal(report, FindingCodes.CertHostnameMismatch).Remedy, StringComparison.Ordinal);
    }

    private static MongoTestServer Start(DbTls.Tests.Infrastructure.IssuedCert certificate) =>
        MongoTestServer.Start(new MongoTestServerOptions { Certificate = certificate.Certificate, Users = [MongoCheckHarness.Alice] });
}

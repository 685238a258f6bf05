using DbTls.Scan;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Tls.Ocsp;

namespace DbTls.Tests.Scan;

/// <summary>
/// OCSP stapling as the scan sees it: OpenSSL serving a real response from openssl ocsp (<c>s_server -status_file</c>)
/// staples it, the same server without one does not; sslscan (--ocsp) says the same.
/// </summary>
[Trait("Category", "Integration")]
[Collection("ocsp")]
public sealed class ScanOcspStaplingTests(OcspPki pki)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_stapled_response_is_reported_as_sslscan_sees_it(bool staple)
    {
        await using var scenario = new OcspScenario(pki);
        using var certificate = scenario.Server();
        scenario.Good(certificate);
        var responder = await scenario.StartResponderAsync(null, route: false);
        var file = await scenario.FetchResponseFileAsync(certificate, responder);
        await using var server = await ScanOpenSslServer.StartAsync(certificate, staple ? ["-status_file", file] : []);

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.EndPoint.Port, new ScanOptions { Protocol = ScanProtocol.Tls }, CancellationToken.None);
        var sslscan = await ProcessRunner.RunAsync("sslscan", ["--no-colour", "--ocsp", "--no-ciphersuites", "--no-groups", "--no-heartbleed", "--no-renegotiation", "--no-compression", "--no-fallback", "--no-check-certificate", $"127.0.0.1:{server.EndPoint.Port}"], TimeSpan.FromSeconds(60));

        Assert.Equal(staple, report.Extensions!.OcspStapled);
        Assert.True(staple == sslscan.Stdout.Contains("OCSP Response Status: successful", StringComparison.Ordinal), sslscan.Stdout);
    }
}

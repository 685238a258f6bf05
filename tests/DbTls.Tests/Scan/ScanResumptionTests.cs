using DbTls.Scan;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Scan;

/// <summary>
/// TLS 1.2 session resumption as the scan reads it from the ServerHello, held against openssl s_client -reconnect,
/// which really resumes (five reconnections offering the session): the scan offers resumption exactly when s_client
/// gets "Reused".
/// </summary>
[Trait("Category", "Integration")]
public sealed class ScanResumptionTests(LocalhostCertificateFixture certificate) : IClassFixture<LocalhostCertificateFixture>
{
    [Theory]
    // A server that will issue a ticket may leave the session id empty (RFC 5077 3.4), and OpenSSL does.
    [InlineData(new string[0], new[] { "ticket" })]
    [InlineData(new[] { "-no_ticket" }, new[] { "session-id" })]
    [InlineData(new[] { "-no_ticket", "-no_cache" }, new string[0])]
    public async Task Resumption_offered_is_resumption_that_openssl_gets(string[] arguments, string[] expected)
    {
        await using var server = await ScanOpenSslServer.StartAsync(certificate.Leaf, [.. arguments, "-max_protocol", "TLSv1.2"]);

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.EndPoint.Port, new ScanOptions { Protocol = ScanProtocol.Tls }, CancellationToken.None);
        var openssl = await ProcessRunner.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{server.EndPoint.Port}", "-reconnect", "-tls1_2"], TimeSpan.FromSeconds(30));

        Assert.Equal(expected, report.Extensions!.Resumption);
        var reused = openssl.Stdout.Split('\n').Count(l => l.StartsWith("Reused,", StringComparison.Ordinal));
        Assert.True((expected.Length > 0) == (reused > 0), openssl.ToString());
    }
}

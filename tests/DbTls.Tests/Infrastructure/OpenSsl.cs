using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace DbTls.Tests.Infrastructure;

/// <summary>The openssl command line as an independent TLS peer: handshakes and "what chain does the server send".</summary>
public static partial class OpenSsl
{
    public const string Program = "/usr/bin/openssl";

    /// <summary>
    /// A direct TLS handshake (PostgreSQL 17+ <c>sslnegotiation=direct</c>): TLS from the first
    /// byte with ALPN <c>postgresql</c>, verifying against <paramref name="caFile"/> and host name
    /// localhost. Stdout/stderr hold s_client's report ("ALPN protocol: postgresql", "Verification: OK").
    /// </summary>
    public static Task<ProcessResult> DirectTlsHandshakeAsync(int port, string caFile, string host = "127.0.0.1", CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync(new ProcessSpec(Program,
        [
            "s_client", "-connect", Endpoint(host, port), "-alpn", "postgresql", "-CAfile", caFile,
            "-verify_return_error", "-verify_hostname", "localhost", "-servername", "localhost",
        ])
        {
            StandardInput = "",
            Timeout = TimeSpan.FromSeconds(20),
        }, cancellationToken);

    /// <summary>
    /// The certificates the server sends, in order (leaf first), fetched with <c>s_client -showcerts</c>
    /// through PostgreSQL's SSLRequest (<c>-starttls postgres</c>) or directly.
    /// </summary>
    public static async Task<IReadOnlyList<X509Certificate2>> FetchServerChainAsync(int port, bool direct = false, string host = "127.0.0.1", CancellationToken cancellationToken = default)
    {
        List<string> arguments = ["s_client", "-connect", Endpoint(host, port), "-showcerts"];
        arguments.AddRange(direct ? ["-alpn", "postgresql"] : ["-starttls", "postgres"]);
        var result = await ProcessRunner.RunAsync(new ProcessSpec(Program, arguments)
        {
            StandardInput = "",
            Timeout = TimeSpan.FromSeconds(20),
        }, cancellationToken).ConfigureAwait(false);
        var certificates = CertificateBlock().Matches(result.Stdout).Select(m => X509Certificate2.CreateFromPem(m.Value)).ToList();
        if (certificates.Count == 0)
        {
            throw new InvalidOperationException($"openssl s_client got no certificate from port {port}: {result}");
        }

        return certificates;
    }

    private static string Endpoint(string host, int port) =>
        (host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host) + ":" + port.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]+?-----END CERTIFICATE-----")]
    private static partial Regex CertificateBlock();
}

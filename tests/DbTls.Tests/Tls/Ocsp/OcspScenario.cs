using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Tls.Ocsp;

/// <summary>
/// One test's OCSP world: a counting proxy whose URL the certificates name, an OpenSSL CA database and
/// (once started) an <c>openssl ocsp</c> responder behind the proxy.
/// </summary>
internal sealed class OcspScenario(OcspPki pki) : IAsyncDisposable
{
    private readonly List<string> _index = [];
    private readonly List<OpenSslOcspResponder> _responders = [];

    public CountingProxy Proxy { get; } = new();

    public OpenSslOcspResponder? Responder { get; private set; }

    public IssuedCert Server(bool mustStaple = false) => pki.Server(Proxy.Url, mustStaple);

    public void Good(IssuedCert cert) => _index.Add(OcspPki.IndexLine(cert));

    public void Revoked(IssuedCert cert, DateTimeOffset at, string reason) => _index.Add(OcspPki.IndexLine(cert, at, reason));

    /// <summary>Starts the responder (signing with the delegated responder certificate unless told otherwise) and routes the proxy to it.</summary>
    public async Task<OpenSslOcspResponder> StartResponderAsync(IssuedCert? signer = null, bool route = true)
    {
        var index = pki.Write($"index-{Guid.NewGuid():N}.txt", string.Concat(_index));
        // Every server certificate is CN=localhost; OpenSSL refuses a database with two valid entries of one subject unless told.
        File.WriteAllText(index + ".attr", "unique_subject = no\n");
        var (signerFile, signerKey) = pki.WriteKeyPair(signer ?? pki.Responder);
        var responder = await OpenSslOcspResponder.StartAsync(index, pki.RootFile, signerFile, signerKey);
        _responders.Add(responder);
        if (route)
        {
            Responder = responder;
            Proxy.BackendPort = responder.Port;
        }

        return responder;
    }

    /// <summary>Asks a responder directly (not through the proxy) with the openssl client and saves the DER response for stapling.</summary>
    public async Task<string> FetchResponseFileAsync(IssuedCert cert, OpenSslOcspResponder responder)
    {
        var certFile = pki.Write($"cert-{Guid.NewGuid():N}.pem", cert.CertificatePem);
        var output = Path.Combine(pki.Directory, $"resp-{Guid.NewGuid():N}.der");
        var result = await ProcessRunner.RunAsync("openssl", ["ocsp", "-issuer", pki.RootFile, "-cert", certFile, "-url", $"http://127.0.0.1:{responder.Port}/",
            "-respout", output, "-noverify", "-no_nonce"], TimeSpan.FromSeconds(20));
        Assert.True(result.Succeeded && File.Exists(output), result.ToString());
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var responder in _responders)
        {
            await responder.DisposeAsync();
        }

        await Proxy.DisposeAsync();
    }
}

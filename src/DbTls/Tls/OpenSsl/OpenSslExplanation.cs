using System.Security.Cryptography.X509Certificates;
using DbTls.Tls.Trust;
using DbTls.Tls.Verification;

namespace DbTls.Tls.OpenSsl;

/// <summary>
/// Puts an OpenSSL verification error in the user's terms: which certificate, which file, and the trust-file shapes
/// OpenSSL treats differently from other engines (a cross-signed certificate taken before the root it stands for, an
/// expired anchor of the user's own, a server that sends only its leaf).
/// </summary>
internal static class OpenSslExplanation
{
    /// <summary>The message (after "certificate verify failed: ") and a remedy, or null to keep the catalogue's.</summary>
    public static (string Message, string? Remedy) Explain(OpenSslVerdict verdict, IReadOnlyList<X509Certificate2> presented, TrustAnchors trust)
    {
        var chain = verdict.Chain;
        var at = verdict.Depth >= 0 && verdict.Depth < chain.Count ? chain[verdict.Depth] : chain.Count > 0 ? chain[^1] : presented[0];
        var cross = CrossCertificateTaken(chain, trust);
        var (message, remedy) = verdict.Error switch
        {
            OpenSslErrors.UnableToGetIssuerCert when cross is { } c =>
                ($"unable to get issuer certificate: {OrderProblem(c, trust)}, whose issuer \"{c.Cross.Issuer}\" is not in the file, and partial chains are not accepted",
                    OrderRemedy(c, trust)),
            OpenSslErrors.UnableToGetIssuerCert when trust.Contains(at) && !Describe.IsSelfIssued(at) =>
                ($"unable to get issuer certificate for {Describe.Name(at)}: it is in {trust.Description} but is not a self-signed root, and partial chains are not accepted",
                    $"Add its issuer \"{at.Issuer}\" (up to the self-signed root) to {trust.Description}."),
            OpenSslErrors.UnableToGetIssuerCert =>
                ($"unable to get issuer certificate for {Describe.Name(at)}: its issuer \"{at.Issuer}\" was not found", null),
            OpenSslErrors.UnableToGetIssuerCertLocally when presented.Count == 1 =>
                ($"unable to get local issuer certificate for {Describe.Name(at)}: the server sent only its own certificate, its issuer \"{at.Issuer}\" is not in {trust.Description}, and the driver (OpenSSL) never fetches missing intermediates",
                    $"Make the server send its intermediate certificates after its own (PostgreSQL: append them to the file ssl_cert_file names), or add the intermediate \"{at.Issuer}\" to {trust.Description}."),
            OpenSslErrors.UnableToGetIssuerCertLocally =>
                ($"unable to get local issuer certificate for {Describe.Name(at)}: its issuer \"{at.Issuer}\" was neither sent by the server nor found in {trust.Description}", null),
            OpenSslErrors.DepthZeroSelfSignedCert =>
                ($"self-signed certificate {Describe.Name(at)} is not in {trust.Description}", null),
            OpenSslErrors.SelfSignedCertInChain =>
                ($"self-signed certificate in certificate chain: root {Describe.Name(at)} is not in {trust.Description}", null),
            OpenSslErrors.CertHasExpired when trust.Contains(at) =>
                ($"the trust anchor {Describe.Name(at)} in {trust.Description} expired on {Describe.Date(at.NotAfter)}: the expired certificate is the trust file's own, not the server's",
                    $"Replace the expired certificate \"{at.Subject}\" in {trust.Description} with a current one, or remove it when another root in the file should be used; renewing the server's certificate does not help."),
            OpenSslErrors.CertHasExpired =>
                ($"certificate has expired: {Describe.Name(at)} expired on {Describe.Date(at.NotAfter)}", null),
            OpenSslErrors.CertNotYetValid =>
                ($"certificate is not yet valid: {Describe.Name(at)} is valid from {Describe.Date(at.NotBefore)}", null),
            OpenSslErrors.CertRevoked =>
                ($"certificate revoked: {Describe.Name(at)}", null),
            OpenSslErrors.UnableToGetCrl =>
                ($"unable to get certificate CRL for {Describe.Name(at)}: no CRL from its issuer \"{at.Issuer}\" was loaded, and the driver checks every certificate of the chain", null),
            _ => ($"{verdict.ErrorText} ({Describe.Name(at)})", null),
        };

        // A failure further up a path that went through a cross-signed certificate of the file (an expired old root, say)
        // is still the order problem's doing: the root it stands for was never tried.
        if (cross is { } taken && verdict.Error != OpenSslErrors.UnableToGetIssuerCert)
        {
            message = $"{message}; {OrderProblem(taken, trust)}";
            remedy = $"{remedy ?? ""} {OrderRemedy(taken, trust)}".Trim();
        }

        return (message, remedy);
    }

    /// <summary>A certificate of the trust file on the built path that is not self-signed while the file also holds the self-signed root of the same name.</summary>
    private static (X509Certificate2 Cross, X509Certificate2 Root)? CrossCertificateTaken(IReadOnlyList<X509Certificate2> chain, TrustAnchors trust)
    {
        foreach (var certificate in chain.Skip(1))
        {
            if (!trust.Contains(certificate) || Describe.IsSelfIssued(certificate))
            {
                continue;
            }

            var root = trust.Certificates.FirstOrDefault(r => Describe.IsSelfIssued(r) && r.SubjectName.RawData.AsSpan().SequenceEqual(certificate.SubjectName.RawData));
            if (root is not null)
            {
                return (certificate, root);
            }
        }

        return null;
    }

    private static string OrderProblem((X509Certificate2 Cross, X509Certificate2 Root) c, TrustAnchors trust)
    {
        var crossIndex = IndexIn(trust, c.Cross);
        var rootIndex = IndexIn(trust, c.Root);
        var where = crossIndex < rootIndex ? "before" : "as well as";
        return $"{trust.Description} lists {Describe.Name(c.Cross)} issued by \"{c.Cross.Issuer}\" (certificate {crossIndex + 1}) {where} the self-signed root {Describe.Name(c.Root)} (certificate {rootIndex + 1}); "
            + $"OpenSSL takes the first trusted certificate that matches and built its path through the cross-signed one, never trying the root";
    }

    private static string OrderRemedy((X509Certificate2 Cross, X509Certificate2 Root) c, TrustAnchors trust) =>
        $"Remove the cross-signed certificate \"{c.Cross.Subject}\" issued by \"{c.Cross.Issuer}\" from {trust.Description} (or put the self-signed root \"{c.Root.Subject}\" before it), so OpenSSL ends the path at the root.";

    private static int IndexIn(TrustAnchors trust, X509Certificate2 certificate)
    {
        for (var i = 0; i < trust.Certificates.Count; i++)
        {
            if (trust.Certificates[i].RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            {
                return i;
            }
        }

        return -1;
    }
}

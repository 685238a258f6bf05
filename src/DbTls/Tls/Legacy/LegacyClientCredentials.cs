using System.Security.Cryptography.X509Certificates;
using DbTls.Tls.ClientCertificates;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using CertificateRequest = Org.BouncyCastle.Tls.CertificateRequest;

namespace DbTls.Tls.Legacy;

/// <summary>
/// The configured client certificate (and its chain) as BouncyCastle signer credentials, built only when
/// the server asks. RSA and ECDSA keys are supported; any other key type sends no certificate, which the
/// server then judges like a missing one.
/// </summary>
internal sealed class LegacyClientCredentials(LoadedClientCertificate? certificate)
{
    public bool Available => certificate is not null;

    public TlsCredentialedSigner? For(TlsCrypto crypto, TlsClientContext context, CertificateRequest request)
    {
        if (certificate is null || crypto is not BcTlsCrypto bc)
        {
            return null;
        }

        var (key, signature) = PrivateKey(certificate.Certificate);
        if (key is null)
        {
            return null;
        }

        // TLS 1.0/1.1 carry no signature algorithm list (the algorithm follows from the key); TLS 1.2 and 1.3 do.
        SignatureAndHashAlgorithm? algorithm = null;
        if (request.SupportedSignatureAlgorithms is { } supported)
        {
            var tls13 = TlsUtilities.IsTlsV13(context);
            algorithm = supported.FirstOrDefault(a => Fits(a, signature, tls13));
            if (algorithm is null)
            {
                return null;
            }
        }

        var certificates = new[] { certificate.Certificate }.Concat(certificate.Chain).Select(c => bc.CreateCertificate(c.RawData)).ToArray();
        // Only TLS 1.3 Certificate messages carry the request context (and per-entry extensions).
        var chain = TlsUtilities.IsTlsV13(context)
            ? new Certificate(request.GetCertificateRequestContext() ?? [], [.. certificates.Select(c => new CertificateEntry(c, null))])
            : new Certificate(certificates);
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), bc, key, chain, algorithm);
    }

    private static bool Fits(SignatureAndHashAlgorithm algorithm, short signature, bool tls13) => signature switch
    {
        // TLS 1.3 forbids PKCS#1 v1.5 signatures in CertificateVerify; RSA keys sign with RSASSA-PSS there.
        SignatureAlgorithm.rsa => (!tls13 && algorithm.Signature == SignatureAlgorithm.rsa)
            || algorithm.Signature is SignatureAlgorithm.rsa_pss_rsae_sha256 or SignatureAlgorithm.rsa_pss_rsae_sha384 or SignatureAlgorithm.rsa_pss_rsae_sha512,
        _ => algorithm.Signature == signature,
    };

    private static (AsymmetricKeyParameter? Key, short Signature) PrivateKey(X509Certificate2 certificate)
    {
        if (certificate.GetRSAPrivateKey() is { } rsa)
        {
            using (rsa)
            {
                return (PrivateKeyFactory.CreateKey(rsa.ExportPkcs8PrivateKey()), SignatureAlgorithm.rsa);
            }
        }

        if (certificate.GetECDsaPrivateKey() is { } ecdsa)
        {
            using (ecdsa)
            {
                return (PrivateKeyFactory.CreateKey(ecdsa.ExportPkcs8PrivateKey()), SignatureAlgorithm.ecdsa);
            }
        }

        return (null, 0);
    }
}

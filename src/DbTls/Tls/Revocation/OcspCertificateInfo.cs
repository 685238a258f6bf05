using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509.Extension;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace DbTls.Tls.Revocation;

/// <summary>What a certificate says about OCSP: its responder URLs, whether it is Must-Staple, and its CertID.</summary>
internal static class OcspCertificateInfo
{
    /// <summary>id-pe-tlsfeature (RFC 7633).</summary>
    private const string TlsFeatureOid = "1.3.6.1.5.5.7.1.24";

    /// <summary>The TLS feature number of status_request (RFC 6066 extension 5).</summary>
    private const int StatusRequest = 5;

    /// <summary>
    /// Must-Staple: a TLS feature extension listing status_request. An extension that does not decode
    /// counts as Must-Staple, the safe reading of a certificate that tried to say something about stapling.
    /// </summary>
    public static bool IsMustStaple(BcCertificate certificate)
    {
        var value = certificate.GetExtensionValue(new DerObjectIdentifier(TlsFeatureOid));
        if (value is null)
        {
            return false;
        }

        try
        {
            var features = Asn1Sequence.GetInstance(X509ExtensionUtilities.FromExtensionValue(value));
            return features.Cast<Asn1Encodable>().Any(f => DerInteger.GetInstance(f).IntValueExact == StatusRequest);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return true;
        }
    }

    /// <summary>The http:// OCSP responder URLs of the Authority Information Access extension, in order.</summary>
    public static IReadOnlyList<Uri> ResponderUrls(BcCertificate certificate)
    {
        var value = certificate.GetExtensionValue(X509Extensions.AuthorityInfoAccess);
        if (value is null)
        {
            return [];
        }

        try
        {
            var aia = AuthorityInformationAccess.GetInstance(X509ExtensionUtilities.FromExtensionValue(value));
            return [.. aia.GetAccessDescriptions()
                .Where(d => d.AccessMethod.Equals(AccessDescription.IdADOcsp) && d.AccessLocation.TagNo == GeneralName.UniformResourceIdentifier)
                .Select(d => DerIA5String.GetInstance(d.AccessLocation.Name).GetString())
                .Select(s => Uri.TryCreate(s, UriKind.Absolute, out var uri) ? uri : null)
                .OfType<Uri>()
                .Where(u => u.Scheme == Uri.UriSchemeHttp)];
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return [];
        }
    }

    /// <summary>The CertID (SHA-1, as requests use it) for the certificate issued by <paramref name="issuer"/>.</summary>
    public static CertificateID CertId(BcCertificate certificate, BcCertificate issuer) =>
        new(CertificateID.DigestSha1, issuer, certificate.SerialNumber);

    /// <summary>The cache key: the request CertID's four fields.</summary>
    public static string CacheKey(CertificateID id) =>
        $"{id.HashAlgOid}:{Convert.ToHexString(id.GetIssuerNameHash())}:{Convert.ToHexString(id.GetIssuerKeyHash())}:{id.SerialNumber.ToString(16)}";
}

using System.Globalization;
using System.Security.Cryptography;
using DbTls.Tls.Verification;
using Org.BouncyCastle.Ocsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace DbTls.Tls.Revocation;

/// <summary>
/// Verifies an OCSP response for one certificate as RFC 6960 section 3.2 asks (which the MongoDB OCSP
/// specification makes the rule for stapled and fetched responses alike):
/// <list type="number">
/// <item>the response is "successful" and of the basic type;</item>
/// <item>it holds a SingleResponse whose CertID (issuer name hash, issuer key hash, serial) is the certificate's;</item>
/// <item>it is signed by the certificate's issuer, or by a responder certificate the issuer signed that carries
/// the id-kp-OCSPSigning extended key usage and is valid now;</item>
/// <item>thisUpdate is not in the future (a small clock-skew allowance) and nextUpdate, when present, not in the
/// past. No grace period after nextUpdate: the specification's Q&amp;A rules out RFC 5019's tolerance period.</item>
/// </list>
/// </summary>
internal static class OcspResponseVerifier
{
    /// <summary>How far thisUpdate may lie in the future: a responder's clock a little ahead of ours.</summary>
    public static readonly TimeSpan ThisUpdateSkew = TimeSpan.FromMinutes(5);

    private const string OcspSigning = "1.3.6.1.5.5.7.3.9";

    /// <summary>Upper bound for a response; real ones are a few kilobytes.</summary>
    public const int MaxResponseBytes = 64 * 1024;

    public static OcspVerification Verify(ReadOnlySpan<byte> der, BcCertificate subject, BcCertificate issuer, DateTimeOffset now)
    {
        if (der.IsEmpty || der.Length > MaxResponseBytes)
        {
            return OcspVerification.Invalid(der.IsEmpty ? "the OCSP response is empty" : $"the OCSP response is larger than {MaxResponseBytes} bytes");
        }

        OcspResp response;
        BasicOcspResp basic;
        try
        {
            response = new OcspResp(der.ToArray());
            if (response.Status != OcspRespStatus.Successful)
            {
                return OcspVerification.Invalid($"the OCSP response status is {StatusName(response.Status)}, not successful");
            }

            if (response.GetResponseObject() is not BasicOcspResp b)
            {
                return OcspVerification.Invalid("the OCSP response is not a basic OCSP response");
            }

            basic = b;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // BouncyCastle throws assorted exception types for malformed DER; all mean "not a usable response".
            return OcspVerification.Invalid($"the OCSP response does not parse: {ex.Message}");
        }

        var single = FindSingle(basic, subject, issuer);
        if (single is null)
        {
            return OcspVerification.Invalid($"the OCSP response does not cover this certificate (no CertID for serial {subject.SerialNumber.ToString(16).ToUpperInvariant()} issued by \"{issuer.SubjectDN}\")");
        }

        var (signer, signerProblem) = FindSigner(basic, issuer, now);
        if (signer is null)
        {
            return OcspVerification.Invalid(signerProblem!);
        }

        var thisUpdate = Utc(single.ThisUpdate);
        DateTimeOffset? nextUpdate = single.NextUpdate is { } n ? Utc(n) : null;
        if (thisUpdate > now + ThisUpdateSkew)
        {
            return OcspVerification.Invalid($"the OCSP response is not valid yet (thisUpdate {Describe.Date(thisUpdate)})");
        }

        if (nextUpdate is { } next && next < now)
        {
            return OcspVerification.Invalid($"the OCSP response has expired (nextUpdate {Describe.Date(next)})");
        }

        var status = single.GetCertStatus();
        var answer = status switch
        {
            null => new OcspAnswer(OcspCertStatus.Good, thisUpdate, nextUpdate, null, null, signer),
            RevokedStatus revoked => new OcspAnswer(OcspCertStatus.Revoked, thisUpdate, nextUpdate, Utc(revoked.RevocationTime),
                revoked.HasRevocationReason ? RevocationCheck.ReasonName(revoked.RevocationReason) : null, signer),
            _ => new OcspAnswer(OcspCertStatus.Unknown, thisUpdate, nextUpdate, null, null, signer),
        };
        return OcspVerification.Valid(answer);
    }

    private static SingleResp? FindSingle(BasicOcspResp basic, BcCertificate subject, BcCertificate issuer)
    {
        foreach (var single in basic.Responses)
        {
            try
            {
                var id = single.GetCertID();
                if (id.SerialNumber.Equals(subject.SerialNumber) && id.MatchesIssuer(issuer))
                {
                    return single;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A CertID with a hash algorithm BouncyCastle does not know cannot be ours.
            }
        }

        return null;
    }

    /// <summary>The certificate that signed the response: the issuer itself or an authorised responder.</summary>
    private static (string? Signer, string? Problem) FindSigner(BasicOcspResp basic, BcCertificate issuer, DateTimeOffset now)
    {
        var responder = basic.ResponderId.ToAsn1Object();
        if (Identifies(responder, issuer))
        {
            return SignatureValid(basic, issuer)
                ? ($"the issuer \"{issuer.SubjectDN}\"", null)
                : (null, $"the OCSP response signature does not verify with the key of the issuer \"{issuer.SubjectDN}\" that it names as its signer");
        }

        BcCertificate[] included;
        try
        {
            included = basic.GetCerts();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            included = [];
        }

        var named = included.Where(c => Identifies(responder, c)).ToList();
        if (named.Count == 0)
        {
            return (null, $"the OCSP response is signed by \"{ResponderText(responder)}\", which is neither the issuer \"{issuer.SubjectDN}\" nor a responder certificate included in the response");
        }

        foreach (var candidate in named)
        {
            var name = $"\"{candidate.SubjectDN}\"";
            if (!candidate.IssuerDN.Equivalent(issuer.SubjectDN, true) || !CertificateSignedBy(candidate, issuer))
            {
                return (null, $"the OCSP responder certificate {name} was not issued by the certificate's issuer \"{issuer.SubjectDN}\", so it is not authorised to answer for it");
            }

            if (!HasOcspSigning(candidate))
            {
                return (null, $"the OCSP responder certificate {name} lacks the id-kp-OCSPSigning extended key usage, so it is not authorised to sign responses");
            }

            if (!candidate.IsValid(now.UtcDateTime))
            {
                return (null, $"the OCSP responder certificate {name} is outside its validity period");
            }

            if (!SignatureValid(basic, candidate))
            {
                return (null, $"the OCSP response signature does not verify with the key of the responder certificate {name}");
            }

            return ($"the authorised responder {name} (delegated by \"{issuer.SubjectDN}\")", null);
        }

        return (null, "no responder certificate in the OCSP response could be used");
    }

    private static bool Identifies(Org.BouncyCastle.Asn1.Ocsp.ResponderID responder, BcCertificate certificate)
    {
        if (responder.Name is { } name)
        {
            return name.Equivalent(certificate.SubjectDN, true);
        }

        var keyHash = responder.GetKeyHash();
        return keyHash is not null && keyHash.AsSpan().SequenceEqual(KeyHash(certificate));
    }

    /// <summary>RFC 6960 KeyHash: SHA-1 of the subjectPublicKey BIT STRING's value.</summary>
    internal static byte[] KeyHash(BcCertificate certificate) =>
        SHA1.HashData(certificate.CertificateStructure.SubjectPublicKeyInfo.PublicKey.GetBytes());

    private static string ResponderText(Org.BouncyCastle.Asn1.Ocsp.ResponderID responder) =>
        responder.Name?.ToString() ?? $"key hash {Convert.ToHexString(responder.GetKeyHash() ?? [])}";

    private static bool SignatureValid(BasicOcspResp basic, BcCertificate signer)
    {
        try
        {
            return basic.Verify(signer.GetPublicKey());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false; // unknown algorithm or malformed signature
        }
    }

    private static bool CertificateSignedBy(BcCertificate certificate, BcCertificate issuer)
    {
        try
        {
            return certificate.IsSignatureValid(issuer.GetPublicKey());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    private static bool HasOcspSigning(BcCertificate certificate)
    {
        try
        {
            return certificate.GetExtendedKeyUsage()?.Any(oid => oid.Id == OcspSigning) == true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc), TimeSpan.Zero);

    private static string StatusName(int status) => status switch
    {
        OcspRespStatus.MalformedRequest => "malformedRequest",
        OcspRespStatus.InternalError => "internalError",
        OcspRespStatus.TryLater => "tryLater",
        OcspRespStatus.SigRequired => "sigRequired",
        OcspRespStatus.Unauthorized => "unauthorized",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };
}

using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls.Verification;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace DbTls.Tls.Revocation;

/// <summary>
/// Offline CRL checking as OpenSSL does it with X509_V_FLAG_CRL_CHECK (leaf only) or
/// CRL_CHECK | CRL_CHECK_ALL (libpq: every certificate of the chain, the self-signed root included,
/// needs a valid CRL from its issuer; OpenSSL 3.0 verified: a root listed in its own CRL is revoked and
/// a root without a CRL fails with "unable to get certificate CRL"). A usable CRL is issued under the
/// certificate's issuer name, signed by the issuer's key, current (thisUpdate &lt;= now &lt;= nextUpdate)
/// and carries no critical extension OpenSSL would not handle. Delta CRLs are not used.
/// </summary>
internal static class RevocationCheck
{
    // CRL extensions OpenSSL understands; any other critical one makes the CRL unusable.
    private static readonly HashSet<string> HandledCrlExtensions =
    [
        X509Extensions.IssuingDistributionPoint.Id,
        X509Extensions.DeltaCrlIndicator.Id,
        X509Extensions.CrlNumber.Id,
        X509Extensions.AuthorityKeyIdentifier.Id,
        X509Extensions.FreshestCrl.Id,
    ];

    public static StepResult Run(IReadOnlyList<X509Certificate2> chain, RevocationScope scope, CrlStore store, DateTimeOffset now)
    {
        var last = scope == RevocationScope.FullChain ? chain.Count - 1 : 0;
        var lines = new List<string>();
        Finding? failure = null;
        for (var i = 0; i <= last && i < chain.Count; i++)
        {
            var issuer = i + 1 < chain.Count ? chain[i + 1] : Describe.IsSelfIssued(chain[i]) ? chain[i] : null;
            var (line, finding) = CheckOne(chain[i], issuer, store, now);
            lines.Add(line);
            failure ??= finding; // OpenSSL stops at the first failure from the leaf upwards
        }

        var scopeText = scope == RevocationScope.FullChain
            ? "every certificate in the chain (CRL_CHECK_ALL)"
            : "the server certificate only";
        var detail = $"checked {scopeText} against {store.Crls.Count} CRL(s): {string.Join("; ", lines)}";
        if (store.Notes.Count > 0)
        {
            detail += $" [{string.Join("; ", store.Notes)}]";
        }

        return failure is null
            ? StepResult.Pass(ValidationSteps.Revocation, detail)
            : new StepResult(ValidationSteps.Revocation, ValidationSteps.Failed, detail, failure);
    }

    private static (string Line, Finding? Failure) CheckOne(X509Certificate2 certificate, X509Certificate2? issuer, CrlStore store, DateTimeOffset now)
    {
        var name = Describe.Name(certificate);
        if (issuer is null)
        {
            return Unknown($"unable to get certificate CRL for {name}: its issuer \"{certificate.Issuer}\" is not part of the chain");
        }

        var subject = Parse(certificate);
        var bcIssuer = Parse(issuer);
        var issuerKey = bcIssuer.GetPublicKey();

        // OpenSSL's get_crl_score: same issuer name, not a delta CRL, and an authority key identifier
        // (when present) that matches the issuer; anything else is not a CRL for this certificate.
        var candidates = store.Crls
            .Where(c => c.Crl.IssuerDN.Equivalent(subject.IssuerDN, true)
                && c.Crl.GetExtensionValue(X509Extensions.DeltaCrlIndicator) is null
                && AuthorityKeyIdentifierMatches(c.Crl, bcIssuer))
            .ToList();
        if (candidates.Count == 0)
        {
            return Unknown($"unable to get certificate CRL for {name}: no CRL issued by \"{certificate.Issuer}\" (with that issuer's key identifier) was loaded");
        }

        if (issuer.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage && (usage.KeyUsages & X509KeyUsageFlags.CrlSign) == 0)
        {
            return Unknown($"key usage does not include CRL signing: {Describe.Name(issuer)} may not sign the CRL for {name}");
        }

        var evaluated = candidates.Select(c => Evaluate(c, issuerKey, now)).ToList();
        var usable = evaluated.Where(e => e.Problem is null).OrderByDescending(e => e.Crl.Crl.ThisUpdate).FirstOrDefault();
        if (usable is null)
        {
            // Report the most telling problem: a correctly signed CRL that is merely out of date beats a bad signature.
            var best = evaluated.FirstOrDefault(e => e.SignatureValid) ?? evaluated[0];
            return Unknown($"{best.Problem} for {name} ({best.Crl.Source})");
        }

        var crl = usable.Crl.Crl;
        var entry = crl.GetRevokedCertificate(subject.SerialNumber);
        var reason = entry is null ? null : ReasonOf(entry);
        if (entry is not null && reason != CrlReason.RemoveFromCrl)
        {
            var reasonText = reason is null ? "" : $", reason {ReasonName(reason.Value)}";
            var message = $"certificate revoked: {name} (serial {certificate.SerialNumber}) was revoked on {Describe.Date(entry.RevocationDate)}{reasonText}, per the CRL of \"{certificate.Issuer}\" ({usable.Crl.Source})";
            return (message, FindingCatalog.Create(FindingCodes.CertRevoked, message));
        }

        return ($"{name} not revoked (CRL of \"{certificate.Issuer}\" from {Describe.Date(crl.ThisUpdate)}, next update {(crl.NextUpdate is { } next ? Describe.Date(next) : "not set")})", null);
    }

    /// <summary>X509_check_akid: the CRL's keyIdentifier, issuer name and serial, where present, must be the issuer's.</summary>
    private static bool AuthorityKeyIdentifierMatches(X509Crl crl, BcCertificate issuer)
    {
        try
        {
            var value = crl.GetExtensionValue(X509Extensions.AuthorityKeyIdentifier);
            if (value is null)
            {
                return true;
            }

            var akid = AuthorityKeyIdentifier.GetInstance(X509ExtensionUtilities.FromExtensionValue(value));
            var keyId = akid.KeyIdentifier?.GetOctets();
            var skidValue = issuer.GetExtensionValue(X509Extensions.SubjectKeyIdentifier);
            if (keyId is not null && skidValue is not null)
            {
                var skid = SubjectKeyIdentifier.GetInstance(X509ExtensionUtilities.FromExtensionValue(skidValue)).GetKeyIdentifier();
                if (!keyId.AsSpan().SequenceEqual(skid))
                {
                    return false;
                }
            }

            if (akid.AuthorityCertSerialNumber is { } serial && !serial.Equals(issuer.SerialNumber))
            {
                return false;
            }

            var directoryName = akid.AuthorityCertIssuer?.GetNames().FirstOrDefault(n => n.TagNo == GeneralName.DirectoryName);
            return directoryName is null || X509Name.GetInstance(directoryName.Name).Equivalent(issuer.IssuerDN, true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false; // an undecodable AKID makes the CRL unusable, as in OpenSSL
        }
    }

    private static (string, Finding?) Unknown(string message) => (message, FindingCatalog.Create(FindingCodes.CertRevocationUnknown, message));

    private sealed record Evaluation(LoadedCrl Crl, bool SignatureValid, string? Problem);

    private static Evaluation Evaluate(LoadedCrl loaded, Org.BouncyCastle.Crypto.AsymmetricKeyParameter issuerKey, DateTimeOffset now)
    {
        var crl = loaded.Crl;
        bool signatureValid;
        try
        {
            signatureValid = crl.IsSignatureValid(issuerKey);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            signatureValid = false; // unknown algorithm or malformed signature
        }

        if (!signatureValid)
        {
            return new Evaluation(loaded, false, "CRL signature failure: the CRL was not signed by the certificate's issuer");
        }

        var thisUpdate = new DateTimeOffset(crl.ThisUpdate.ToUniversalTime(), TimeSpan.Zero);
        if (thisUpdate > now)
        {
            return new Evaluation(loaded, true, $"CRL is not yet valid (thisUpdate {Describe.Date(thisUpdate)})");
        }

        if (crl.NextUpdate is { } next && new DateTimeOffset(next.ToUniversalTime(), TimeSpan.Zero) < now)
        {
            return new Evaluation(loaded, true, $"CRL has expired (nextUpdate {Describe.Date(next)})");
        }

        var unhandled = crl.GetCriticalExtensionOids()?.Where(oid => !HandledCrlExtensions.Contains(oid)).ToList() ?? [];
        if (unhandled.Count > 0)
        {
            return new Evaluation(loaded, true, $"unhandled critical CRL extension {string.Join(", ", unhandled)}");
        }

        return new Evaluation(loaded, true, null);
    }

    private static int? ReasonOf(X509CrlEntry entry)
    {
        try
        {
            var value = entry.GetExtensionValue(X509Extensions.ReasonCode);
            return value is null ? null : DerEnumerated.GetInstance(X509ExtensionUtilities.FromExtensionValue(value)).IntValueExact;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    internal static string ReasonName(int reason) => reason switch
    {
        CrlReason.Unspecified => "unspecified",
        CrlReason.KeyCompromise => "keyCompromise",
        CrlReason.CACompromise => "cACompromise",
        CrlReason.AffiliationChanged => "affiliationChanged",
        CrlReason.Superseded => "superseded",
        CrlReason.CessationOfOperation => "cessationOfOperation",
        CrlReason.CertificateHold => "certificateHold",
        CrlReason.PrivilegeWithdrawn => "privilegeWithdrawn",
        CrlReason.AACompromise => "aACompromise",
        _ => reason.ToString(CultureInfo.InvariantCulture),
    };

    private static BcCertificate Parse(X509Certificate2 certificate) => new X509CertificateParser().ReadCertificate(certificate.RawData);
}

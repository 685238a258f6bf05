using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Dialects.Mongo;

/// <summary>What the effective TLS settings leave unprotected: plaintext, or a certificate that is not (fully) verified.</summary>
internal static class MongoTlsFindings
{
    public static void Add(MongoTlsSettings tls, TlsPolicy policy, ImmutableArray<Finding>.Builder findings)
    {
        if (!tls.Enabled)
        {
            findings.Add(FindingCatalog.Create(FindingCodes.TlsNotUsed,
                "TLS is off: the driver connects in plaintext, and MongoDB has no in-protocol upgrade, so credentials and data travel unencrypted.",
                "Add tls=true to the URI (mongodb+srv:// URIs turn it on by default) and make the server require TLS (net.tls.mode: requireTLS)."));
        }
        else if (policy.Verification != VerificationLevel.ChainAndHostName)
        {
            var what = tls.Insecure ? "tlsInsecure=true"
                : tls.AllowInvalidCertificates ? "tlsAllowInvalidCertificates=true"
                : "tlsAllowInvalidHostnames=true";
            findings.Add(FindingCatalog.Create(FindingCodes.CertNotVerified,
                $"{what}: the server certificate is {(policy.Verification == VerificationLevel.None ? "not verified at all" : "checked against the CA but not against the host name")}; anyone in the path can impersonate the server.",
                "Remove tlsInsecure / tlsAllowInvalidCertificates / tlsAllowInvalidHostnames and give the issuing CA with tlsCAFile."));
        }
    }
}

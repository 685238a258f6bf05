using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;

namespace DbTls.Tls.Verification;

/// <summary>
/// OpenSSL's "ssl_server" purpose, which an OpenSSL client (libpq) applies to every certificate of
/// the chain, trust anchor included: an extended key usage extension, when present, must contain
/// serverAuth (or one of the old Server Gated Crypto OIDs); the server certificate's key usage, when
/// present, must allow digitalSignature, keyEncipherment or keyAgreement. (Netscape cert-type is not
/// evaluated.)
/// </summary>
internal static class PurposeCheck
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string NetscapeSgc = "2.16.840.1.113730.4.1";
    private const string MicrosoftSgc = "1.3.6.1.4.1.311.10.3.3";

    public static StepResult Run(IReadOnlyList<X509Certificate2> chain)
    {
        for (var i = 0; i < chain.Count; i++)
        {
            var certificate = chain[i];
            if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } eku)
            {
                var usages = eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value).ToList();
                if (!usages.Contains(ServerAuth) && !usages.Contains(NetscapeSgc) && !usages.Contains(MicrosoftSgc))
                {
                    var names = string.Join(", ", usages.Select(ShortName));
                    var message = $"unsuitable certificate purpose: {Describe.Name(certificate)} has extended key usage [{names}] without serverAuth";
                    return StepResult.Fail(ValidationSteps.Purpose, FindingCodes.CertWrongPurpose, message);
                }
            }

            const X509KeyUsageFlags tls = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement;
            if (i == 0 && certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } ku && (ku.KeyUsages & tls) == 0)
            {
                var message = $"unsuitable certificate purpose: the key usage of {Describe.Name(certificate)} ({ku.KeyUsages}) allows none of digitalSignature, keyEncipherment, keyAgreement";
                return StepResult.Fail(ValidationSteps.Purpose, FindingCodes.CertWrongPurpose, message);
            }
        }

        return StepResult.Pass(ValidationSteps.Purpose, $"every certificate of the chain may be used for TLS server authentication (serverAuth or no EKU restriction; {chain.Count} checked)");
    }

    /// <summary>OpenSSL's short names, which are stable across platforms (friendly names are not).</summary>
    private static string ShortName(string? oid) => oid switch
    {
        ServerAuth => "serverAuth",
        "1.3.6.1.5.5.7.3.2" => "clientAuth",
        "1.3.6.1.5.5.7.3.3" => "codeSigning",
        "1.3.6.1.5.5.7.3.4" => "emailProtection",
        "1.3.6.1.5.5.7.3.8" => "timeStamping",
        "1.3.6.1.5.5.7.3.9" => "OCSPSigning",
        "2.5.29.37.0" => "anyExtendedKeyUsage",
        _ => oid ?? "?",
    };
}

using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;

namespace DbTls.Tls.Verification;

/// <summary>
/// notBefore/notAfter of every certificate in the chain, checked from the root down like OpenSSL's
/// internal_verify, so the reported certificate is the one OpenSSL would name first.
/// </summary>
internal static class ValidityCheck
{
    public static StepResult Run(IReadOnlyList<X509Certificate2> chain, DateTimeOffset now)
    {
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            var certificate = chain[i];
            var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            if (notBefore > now)
            {
                var message = $"certificate is not yet valid: {Describe.Name(certificate)} is valid from {Describe.Date(notBefore)} to {Describe.Date(notAfter)}, now is {Describe.Date(now)}";
                return StepResult.Fail(ValidationSteps.Validity, FindingCodes.CertNotYetValid, message);
            }

            if (notAfter < now)
            {
                var message = $"certificate has expired: {Describe.Name(certificate)} was valid from {Describe.Date(notBefore)} to {Describe.Date(notAfter)}, now is {Describe.Date(now)}";
                return StepResult.Fail(ValidationSteps.Validity, FindingCodes.CertExpired, message);
            }
        }

        var soonest = chain.MinBy(c => c.NotAfter);
        return StepResult.Pass(ValidationSteps.Validity, soonest is null
            ? "no certificates"
            : $"all {chain.Count} certificate(s) are within their validity period; the first to expire is {Describe.Name(soonest)} on {Describe.Date(soonest.NotAfter)}");
    }
}

using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Tls.Trust;

namespace DbTls.Tls.Verification;

/// <summary>
/// The "pin" validation step: the server's leaf against the pinned certificate (SqlClient <c>ServerCertificate</c>,
/// JDBC <c>serverCertificate</c>), compared as DER bytes as both drivers compare it.
/// </summary>
internal static class PinCheck
{
    /// <summary>
    /// The pin decides: identical DER bytes pass; a different certificate fails with <c>cert.pin-mismatch</c>, a pin
    /// file that cannot be loaded with <c>cert.pin-unreadable</c> (both drivers fail closed).
    /// </summary>
    /// <param name="overridden">Steps that failed but do not decide because the pin stands in for them (SqlClient).</param>
    public static StepResult Decisive(X509Certificate2 leaf, PinnedCertificate pin, IReadOnlyList<string> overridden)
    {
        if (pin.Certificate is null)
        {
            return StepResult.Fail(ValidationSteps.Pin, FindingCodes.CertPinUnreadable, $"the pinned certificate file \"{pin.Path}\" cannot be loaded as a PEM or DER certificate: {pin.LoadError}");
        }

        if (!pin.Matches(leaf))
        {
            return StepResult.Fail(ValidationSteps.Pin, FindingCodes.CertPinMismatch, Mismatch(leaf, pin));
        }

        var standsIn = overridden.Count == 0 ? "" : $"; it stands in for the failed {string.Join(", ", overridden)} step{(overridden.Count == 1 ? "" : "s")}, as the driver lets the pin alone decide";
        return StepResult.Pass(ValidationSteps.Pin, $"the server's certificate is byte-identical to the pinned certificate \"{pin.Path}\" ({PinnedCertificate.Fingerprint(leaf)}){standsIn}");
    }

    private static string Mismatch(X509Certificate2 leaf, PinnedCertificate pin) =>
        $"the server's certificate is not the pinned certificate \"{pin.Path}\": {Compared(leaf, pin)}";

    private static string Compared(X509Certificate2 leaf, PinnedCertificate pin) =>
        $"server {Describe.Name(leaf)} {PinnedCertificate.Fingerprint(leaf)}, pinned {Describe.Name(pin.Certificate!)} {PinnedCertificate.Fingerprint(pin.Certificate!)}";
}

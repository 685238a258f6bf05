using DbTls.Diagnostics;

namespace DbTls.Dialects.Mongo;

/// <summary>
/// Remedies in MongoDB URI options, for the codes whose catalogue remedy speaks libpq. The MongoDB check words
/// the failure it diagnoses itself; this covers every other finding that kept the catalogue's default.
/// </summary>
internal static class MongoRemedies
{
    public static string? For(string code) => code switch
    {
        FindingCodes.CertUntrusted =>
            "Give the CA that issued the server certificate with tlsCAFile=<PEM file>, and make the server send its intermediate certificates; tlsAllowInvalidCertificates=true only hides the problem.",
        FindingCodes.CertHostnameMismatch =>
            "Connect with a host name the certificate lists in its subjectAltName, or reissue the certificate; tlsAllowInvalidHostnames=true only hides the problem.",
        FindingCodes.CertRootFileMissing => "The file named by tlsCAFile must exist and be readable; without tlsCAFile the system's trusted roots are used.",
        FindingCodes.CertRevocationUnknown => "Give a current CRL from the server certificate's issuer with tlsCRLFile, or remove tlsCRLFile.",
        FindingCodes.ClientCertMissing =>
            "Name a PEM file holding a client certificate the server trusts and its key with tlsCertificateKeyFile (tlsCertificateKeyFilePassword for an encrypted key).",
        _ => null,
    };
}

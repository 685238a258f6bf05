using DbTls.Diagnostics;

namespace DbTls.Dialects.FreeTds;

/// <summary>Remedies in freetds.conf settings, for the codes whose catalogue remedy speaks libpq.</summary>
internal static class FreeTdsRemedies
{
    public static string? For(string code) => code switch
    {
        FindingCodes.CertUntrusted =>
            "Name the CA that issued the server certificate with 'ca file = <PEM file>' in the server's freetds.conf section (or 'ca file = system' for the system's roots), and make the server send its intermediate certificates.",
        FindingCodes.CertHostnameMismatch =>
            "Set 'host' in the freetds.conf section (or the -S/-H name) to a name the certificate lists in its subjectAltName, or reissue the certificate; 'check certificate hostname = no' only hides the problem.",
        FindingCodes.CertRootFileMissing =>
            "Correct the 'ca file' path in freetds.conf, or use 'ca file = system' for the system's trusted roots.",
        FindingCodes.CertRevocationUnknown =>
            "Give a current CRL from the certificate's issuer with 'crl file = <PEM file>' in freetds.conf, or remove the 'crl file' setting.",
        FindingCodes.CertNotVerified =>
            "Verify the server: 'encryption = require' (or strict) with 'ca file' naming the issuing CA in freetds.conf.",
        FindingCodes.TlsProtocolVersion =>
            "Enable TLS 1.2 or later on SQL Server. A server that speaks only TLS 1.0/1.1 is refused unless legacy TLS is enabled explicitly with 'enable tls v1 = yes' in the freetds.conf section; that connection is then reported with tls.weak-protocol.",
        FindingCodes.TlsOpportunistic =>
            "Require encryption and verify the server: 'encryption = require' or 'encryption = strict' with 'ca file' in freetds.conf.",
        FindingCodes.TlsNotUsed =>
            "Enable TLS on SQL Server and require it in freetds.conf: 'encryption = require' or 'encryption = strict'.",
        _ => null,
    };
}

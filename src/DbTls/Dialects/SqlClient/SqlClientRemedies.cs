using DbTls.Diagnostics;

namespace DbTls.Dialects.SqlClient;

/// <summary>Remedies in SqlClient connection-string keywords, for the codes whose catalogue remedy speaks libpq.</summary>
internal static class SqlClientRemedies
{
    public static string? For(string code) => code switch
    {
        FindingCodes.CertUntrusted =>
            "Install the CA that issued the server certificate in the client's trusted roots (SqlClient uses the operating system's store), make the server send its intermediate certificates, or pin the server's own certificate with ServerCertificate=<file>; TrustServerCertificate=True only hides the problem.",
        FindingCodes.CertHostnameMismatch =>
            "Connect with a name the certificate lists in its subjectAltName, or set HostNameInCertificate=<a name the certificate lists> when you connect through another name (an alias, an IP address, a listener).",
        FindingCodes.CertRevocationUnknown =>
            "Make the issuer's CRL or OCSP responder reachable from the client (SqlClient asks the operating system, which fetches them), or reissue the certificate from a CA whose revocation data is reachable.",
        FindingCodes.CertNotVerified =>
            "Verify the server: Encrypt=Mandatory (or Strict) with TrustServerCertificate=False, and the issuing CA in the client's trusted roots.",
        FindingCodes.ClientCertMissing =>
            "SqlClient sends no client certificate: configure SQL Server not to require one for this endpoint, or use a driver that can present one.",
        FindingCodes.TlsProtocolVersion =>
            "Enable TLS 1.2 (or 1.3 for Encrypt=Strict) on SQL Server and its operating system (Schannel protocol settings), or update the server.",
        FindingCodes.TlsOpportunistic =>
            "Require encryption and verify the server: Encrypt=Mandatory or Encrypt=Strict, TrustServerCertificate=False.",
        FindingCodes.TlsNotUsed =>
            "Enable TLS on SQL Server (Force Encryption with a certificate) and require it in the client: Encrypt=Mandatory or Encrypt=Strict.",
        _ => null,
    };
}

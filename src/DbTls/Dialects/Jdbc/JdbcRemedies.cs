using DbTls.Diagnostics;

namespace DbTls.Dialects.Jdbc;

/// <summary>Remedies in Microsoft JDBC driver URL properties, for the codes whose catalogue remedy speaks libpq.</summary>
internal static class JdbcRemedies
{
    public static string? For(string code) => code switch
    {
        FindingCodes.CertUntrusted =>
            "Put the CA that issued the server certificate in a trust store and name it with trustStore=<file>;trustStorePassword=<password> (trustStoreType for PKCS12/JKS), and make the server send its intermediate certificates; trustServerCertificate=true only hides the problem.",
        FindingCodes.CertHostnameMismatch =>
            "Connect with a name the certificate lists, or set hostNameInCertificate=<a name the certificate lists> when you connect through another name (an alias, an IP address, a listener).",
        FindingCodes.CertRootFileMissing =>
            "Correct the trustStore path (and trustStorePassword), or leave trustStore out to use the Java runtime's cacerts.",
        FindingCodes.CertRevocationUnknown =>
            "Make the issuer's CRL or OCSP responder reachable (the Java runtime checks revocation only when com.sun.net.ssl.checkRevocation is on), or turn that check off for this client.",
        FindingCodes.CertNotVerified =>
            "Verify the server: encrypt=true (or strict) with trustServerCertificate=false, and trustStore naming the issuing CA.",
        FindingCodes.ClientCertMissing =>
            "Give the client certificate and key the server trusts with clientCertificate=<file> and clientKey=<file> (clientKeyPassword when the key is encrypted).",
        FindingCodes.TlsProtocolVersion =>
            "Enable TLS 1.2 or later on SQL Server. A server that speaks only TLS 1.0/1.1 is refused unless legacy TLS is enabled explicitly with sslProtocol=TLSv1 (and the Java runtime's jdk.tls.disabledAlgorithms allows it); that connection is then reported with tls.weak-protocol.",
        FindingCodes.TlsOpportunistic =>
            "Require encryption and verify the server: encrypt=true or encrypt=strict, trustServerCertificate=false.",
        FindingCodes.TlsNotUsed =>
            "Enable TLS on SQL Server (Force Encryption with a certificate) and require it in the URL: encrypt=true or encrypt=strict.",
        _ => null,
    };
}

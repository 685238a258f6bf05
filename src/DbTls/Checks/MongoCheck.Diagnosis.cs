using DbTls.Diagnostics;
using DbTls.Tls;

namespace DbTls.Checks;

internal static partial class MongoCheck
{
    /// <summary>
    /// A failure as a finding, with MongoDB's words: the TLS alerts the PyMongo troubleshooting guide
    /// lists get codes of their own, and every remedy names the URI options a MongoDB user has.
    /// </summary>
    private static Finding Diagnose(DbTlsException failure, string? message)
    {
        var code = failure.Code;
        message ??= failure.Message;
        if (failure is TlsHandshakeException && code == FindingCodes.TlsHandshakeFailed)
        {
            var reason = HandshakeFailures.Reason(failure);
            if (reason.Contains("alert internal error", StringComparison.OrdinalIgnoreCase))
            {
                code = FindingCodes.TlsInternalErrorAlert;
                message = $"the server answered the TLS handshake with an internal_error alert ({reason}); cloud services send it to clients whose address they do not accept";
            }
            else if (reason.Contains("alert handshake failure", StringComparison.OrdinalIgnoreCase) || reason.Contains("no shared cipher", StringComparison.OrdinalIgnoreCase))
            {
                code = FindingCodes.TlsNoSharedCipher;
                message = $"the server refused the handshake with a handshake_failure alert ({reason}): it shares no cipher suite (or other parameter) with a current TLS client";
            }
        }

        return FindingCatalog.Create(code, message, MongoRemedy(code) ?? failure.Remedy);
    }

    /// <summary>Remedies in MongoDB's terms where the catalogue's default speaks libpq's.</summary>
    internal static string? MongoRemedy(string code) => code switch
    {
        FindingCodes.CertUntrusted =>
            "Give the CA that issued the server certificate with tlsCAFile=<PEM file> (the certificate named as missing above), and make the server send its intermediate certificates; without tlsCAFile the system's roots are used, so keep the OS CA bundle current.",
        FindingCodes.CertHostnameMismatch =>
            "Connect with a host name the certificate lists in its subjectAltName (seed-list hosts and SRV targets are checked as written), or reissue the certificate; tlsAllowInvalidHostnames=true only hides the problem.",
        FindingCodes.CertRootFileMissing => "Correct the tlsCAFile path, or leave tlsCAFile out to use the system's trusted roots.",
        FindingCodes.CertRevocationUnknown =>
            "Give a current CRL from the server certificate's issuer with tlsCRLFile (drivers check only the server's own certificate against it), or remove tlsCRLFile.",
        FindingCodes.ClientCertMissing =>
            "Give a client certificate the server trusts with tlsCertificateKeyFile (certificate and key in one PEM file), and tlsCertificateKeyFilePassword when the key is encrypted.",
        FindingCodes.TlsProtocolVersion =>
            "MongoDB drivers speak TLS 1.2 and later; the server offers only other versions. Enable TLS 1.2 or 1.3 on the server (net.tls.disabledProtocols) or upgrade it.",
        FindingCodes.TlsHandshakeFailed =>
            "Check that the server has TLS enabled (net.tls.mode requireTLS or preferTLS): with tls=true a MongoDB client speaks TLS from the first byte.",
        FindingCodes.AuthFailed =>
            "Check the user name, the password, authSource (default: the URI's database, else admin) and authMechanism; the server does not say which one is wrong.",
        FindingCodes.ServerClosed =>
            "Read the mongod/mongos log for why it dropped the connection (TLS mode, client certificate, connection limits), and check that the port belongs to MongoDB.",
        FindingCodes.NetUnreachable => "Check the host names and ports of the seed list, DNS and firewalls, and that mongod or mongos is running.",
        FindingCodes.NetTimeout => "Check that the port belongs to mongod or mongos and that nothing drops the traffic, or raise connectTimeoutMS in the URI or --timeout.",
        _ => null,
    };
}

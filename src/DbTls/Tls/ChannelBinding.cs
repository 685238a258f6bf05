using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DbTls.Tls;

/// <summary>Channel-binding data for SCRAM-*-PLUS.</summary>
internal static class ChannelBinding
{
    /// <summary>
    /// RFC 5929 <c>tls-server-end-point</c>: the hash of the server certificate, using the
    /// certificate's signature hash, except that MD5 and SHA-1 are replaced by SHA-256.
    /// This is the only binding type PostgreSQL supports.
    /// </summary>
    public static byte[] TlsServerEndPoint(X509Certificate2 serverCertificate)
    {
        ArgumentNullException.ThrowIfNull(serverCertificate);
        var oid = serverCertificate.SignatureAlgorithm.Value;
        var raw = serverCertificate.RawDataMemory.Span;
        return oid switch
        {
            "1.2.840.113549.1.1.12" or "1.2.840.10045.4.3.3" => SHA384.HashData(raw), // sha384WithRSA, ecdsa-with-SHA384
            "1.2.840.113549.1.1.13" or "1.2.840.10045.4.3.4" => SHA512.HashData(raw), // sha512WithRSA, ecdsa-with-SHA512
            _ => SHA256.HashData(raw), // SHA-256, and MD5/SHA-1 upgraded to SHA-256 per RFC 5929
        };
    }
}

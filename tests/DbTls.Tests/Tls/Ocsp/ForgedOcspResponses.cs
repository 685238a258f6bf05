using DbTls.Tests.Infrastructure;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace DbTls.Tests.Tls.Ocsp;

/// <summary>
/// OCSP responses openssl ocsp cannot produce (it always dates thisUpdate now): a correctly signed
/// response whose validity window lies in the past or the future, built with BouncyCastle's generator.
/// </summary>
internal static class ForgedOcspResponses
{
    public static byte[] Good(IssuedCert subject, IssuedCert issuer, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        var parser = new X509CertificateParser();
        var bcIssuer = parser.ReadCertificate(issuer.Certificate.RawData);
        var bcSubject = parser.ReadCertificate(subject.Certificate.RawData);
        var keys = DotNetUtilities.GetRsaKeyPair(issuer.Key);
        var generator = new BasicOcspRespGenerator(keys.Public);
        generator.AddResponse(new CertificateID(CertificateID.DigestSha1, bcIssuer, bcSubject.SerialNumber), CertificateStatus.Good, thisUpdate.UtcDateTime, nextUpdate.UtcDateTime, null);
        var basic = generator.Generate(new Asn1SignatureFactory("SHA256WITHRSA", keys.Private), null, thisUpdate.UtcDateTime);
        return new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic).GetEncoded();
    }
}

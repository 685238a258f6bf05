using DbTls.Tests.Infrastructure;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace DbTls.Tests.Tls.Ocsp;

/// <summary>
/// OCSP responses openssl ocsp cannot produce (it always dates thisUpdate now and signs correctly),
/// built with BouncyCastle's generator: windows in the past or future, missing nextUpdate, signatures by
/// the wrong key, responder certificates from another CA.
/// </summary>
internal static class ForgedOcspResponses
{
    public static byte[] Good(IssuedCert subject, IssuedCert issuer, DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate) =>
        Build(subject, issuer, signer: issuer, responder: issuer, included: null, thisUpdate, nextUpdate);

    /// <summary>A response about <paramref name="subject"/> (issued by <paramref name="issuer"/>) naming <paramref name="responder"/> and signed with <paramref name="signer"/>'s key.</summary>
    public static byte[] Build(IssuedCert subject, IssuedCert issuer, IssuedCert signer, IssuedCert responder, IssuedCert[]? included, DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate)
    {
        var parser = new X509CertificateParser();
        var bcIssuer = parser.ReadCertificate(issuer.Certificate.RawData);
        var bcSubject = parser.ReadCertificate(subject.Certificate.RawData);
        var generator = new BasicOcspRespGenerator(DotNetUtilities.GetRsaKeyPair(responder.Key).Public);
        generator.AddResponse(new CertificateID(CertificateID.DigestSha1, bcIssuer, bcSubject.SerialNumber), CertificateStatus.Good, thisUpdate.UtcDateTime, nextUpdate?.UtcDateTime, null);
        var chain = included?.Select(c => parser.ReadCertificate(c.Certificate.RawData)).ToArray();
        var basic = generator.Generate(new Asn1SignatureFactory("SHA256WITHRSA", DotNetUtilities.GetRsaKeyPair(signer.Key).Private), chain, thisUpdate.UtcDateTime);
        return new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic).GetEncoded();
    }

    public static byte[] Status(int status) => new OCSPRespGenerator().Generate(status, null).GetEncoded();
}

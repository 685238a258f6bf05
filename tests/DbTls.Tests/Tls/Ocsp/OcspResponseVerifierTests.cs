using DbTls.Tests.Infrastructure;
using DbTls.Tls.Revocation;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;

namespace DbTls.Tests.Tls.Ocsp;

/// <summary>
/// RFC 6960 3.2 corners of response verification that no real responder produces on request; the
/// happy paths and the delegated responder are proven against openssl ocsp in the other OCSP tests.
/// </summary>
[Collection("ocsp")]
public class OcspResponseVerifierTests(OcspPki pki)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private OcspVerification Verify(byte[] response, IssuedCert subject) =>
        OcspResponseVerifier.Verify(response, Bc(subject), Bc(pki.Root), Now);

    private static Org.BouncyCastle.X509.X509Certificate Bc(IssuedCert cert) => new X509CertificateParser().ReadCertificate(cert.Certificate.RawData);

    [Theory]
    [InlineData(OCSPRespGenerator.TryLater, "tryLater")]
    [InlineData(OCSPRespGenerator.InternalError, "internalError")]
    [InlineData(OCSPRespGenerator.Unauthorized, "unauthorized")]
    public void Unsuccessful_response_status_is_invalid(int status, string name)
    {
        using var server = pki.Server(null);
        Assert.Contains($"status is {name}", Verify(ForgedOcspResponses.Status(status), server).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 0x30, 0x03, 0x0A, 0x01 }, "does not parse")]
    [InlineData(new byte[] { 0x01, 0x02, 0x03 }, "does not parse")]
    public void Garbage_is_invalid_without_throwing(byte[] response, string problem)
    {
        using var server = pki.Server(null);
        Assert.Contains(problem, Verify(response, server).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Response_naming_the_issuer_but_signed_by_another_key_is_invalid()
    {
        using var server = pki.Server(null);
        using var other = CertFactory.CreateRoot("dbtls OCSP Test CA"); // same name, different key
        var response = ForgedOcspResponses.Build(server, pki.Root, signer: other, responder: pki.Root, included: null, Now.AddMinutes(-1), Now.AddHours(1));
        Assert.Contains("signature does not verify with the key of the issuer", Verify(response, server).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Delegated_responder_from_another_ca_is_not_authorised()
    {
        using var server = pki.Server(null);
        using var otherCa = CertFactory.CreateRoot("dbtls Other CA");
        using var foreign = CertFactory.CreateLeaf(otherCa, new CertSpec { CommonName = "dbtls OCSP Responder", ExtendedKeyUsages = [OcspPki.OcspSigning] });
        var response = ForgedOcspResponses.Build(server, pki.Root, signer: foreign, responder: foreign, included: [foreign], Now.AddMinutes(-1), Now.AddHours(1));
        Assert.Contains("was not issued by the certificate's issuer", Verify(response, server).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Responder_that_is_neither_the_issuer_nor_included_is_invalid()
    {
        using var server = pki.Server(null);
        var response = ForgedOcspResponses.Build(server, pki.Root, signer: pki.Responder, responder: pki.Responder, included: null, Now.AddMinutes(-1), Now.AddHours(1));
        Assert.Contains("neither the issuer", Verify(response, server).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Small_clock_skew_on_this_update_is_tolerated_but_nothing_after_next_update()
    {
        using var server = pki.Server(null);
        Assert.Null(Verify(ForgedOcspResponses.Good(server, pki.Root, Now.AddMinutes(2), Now.AddHours(1)), server).Problem);
        Assert.Contains("not valid yet", Verify(ForgedOcspResponses.Good(server, pki.Root, Now.AddMinutes(10), Now.AddHours(1)), server).Problem, StringComparison.Ordinal);
        Assert.Contains("has expired", Verify(ForgedOcspResponses.Good(server, pki.Root, Now.AddHours(-2), Now.AddSeconds(-1)), server).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_without_next_update_is_good_but_never_cached()
    {
        using var server = pki.Server(null);
        var verification = Verify(ForgedOcspResponses.Good(server, pki.Root, Now.AddMinutes(-1), nextUpdate: null), server);
        Assert.Equal(OcspCertStatus.Good, verification.Answer!.Status);
        Assert.Null(verification.Answer.NextUpdate);

        var cache = new OcspCache();
        cache.Put("key", verification.Answer);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Cache_honours_next_update_and_keeps_the_fresher_answer()
    {
        var cache = new OcspCache();
        var older = new OcspAnswer(OcspCertStatus.Good, Now.AddHours(-1), Now.AddMinutes(10), null, null, "issuer");
        var fresher = older with { NextUpdate = Now.AddHours(2) };
        cache.Put("id", fresher);
        cache.Put("id", older);
        Assert.Equal(fresher, cache.Get("id", Now));
        Assert.Null(cache.Get("id", Now.AddHours(3)));      // past nextUpdate: gone
        cache.Put("unknown", older with { Status = OcspCertStatus.Unknown });
        Assert.Null(cache.Get("unknown", Now));              // unknown is not conclusive, never cached
    }
}

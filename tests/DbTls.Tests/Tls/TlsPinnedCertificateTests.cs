using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tests.Infrastructure;
using DbTls.Tls.Trust;
using DbTls.Tls.Verification;

namespace DbTls.Tests.Tls;

/// <summary>
/// <see cref="VerificationLevel.PinnedCertificate"/> (JDBC <c>encrypt=strict;serverCertificate=</c>, its
/// ServerCertificateX509TrustManager) through a real handshake: the validity dates of every presented certificate,
/// then the pin; no trust store, no host name. SqlClient's pin is proven against real SqlClient in SqlClientPinningTests.
/// </summary>
[Trait("Category", "Integration")]
[Collection("tls")]
public class TlsPinnedCertificateTests(TlsPki pki)
{
    private async Task<Connection> ConnectAsync(IssuedCert leaf, string pinPath, IssuedCert? intermediate = null)
    {
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [(intermediate ?? pki.Intermediate).Certificate] });
        var policy = TlsPki.Policy(new TrustSource.PemFile(pki.OtherRootFile), VerificationLevel.PinnedCertificate, HostNameRules.Jdbc) with { PinnedCertificatePath = pinPath };
        return await Connection.OpenAsync(server.EndPoint, policy, "not-the-name.test");
    }

    [Fact]
    public async Task Identical_certificate_is_accepted_without_trust_or_host_name()
    {
        using var leaf = pki.DbLeaf();
        var pin = pki.Write("pin-match.pem", leaf.CertificatePem);

        await using var connection = await ConnectAsync(leaf, pin);

        Assert.NotNull(connection.Ok);
        Assert.Equal(ValidationSteps.Skipped, connection.Step(ValidationSteps.Chain));
        Assert.Equal(ValidationSteps.Skipped, connection.Step(ValidationSteps.Hostname));
        Assert.Equal(ValidationSteps.Passed, connection.Step(ValidationSteps.Validity));
        Assert.Contains(PinnedCertificate.Fingerprint(leaf.Certificate), connection.Detail(ValidationSteps.Pin), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Der_pin_file_works_like_pem()
    {
        using var leaf = pki.DbLeaf();
        var pin = pki.Write("pin-match.der", leaf.Certificate.RawData);

        await using var connection = await ConnectAsync(leaf, pin);

        Assert.Equal(ValidationSteps.Passed, connection.Step(ValidationSteps.Pin));
    }

    [Fact]
    public async Task Different_certificate_is_refused_with_both_fingerprints()
    {
        using var leaf = pki.DbLeaf();
        using var other = pki.DbLeaf();
        var pin = pki.Write("pin-other.pem", other.CertificatePem);

        await using var connection = await ConnectAsync(leaf, pin);

        Assert.Equal(FindingCodes.CertPinMismatch, connection.Failed.Code);
        Assert.Contains(PinnedCertificate.Fingerprint(leaf.Certificate), connection.Detail(ValidationSteps.Pin), StringComparison.Ordinal);
        Assert.Contains(PinnedCertificate.Fingerprint(other.Certificate), connection.Detail(ValidationSteps.Pin), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_certificate_is_refused_even_when_pinned()
    {
        using var leaf = pki.Leaf(new CertSpec { CommonName = "db.test", NotBefore = DateTimeOffset.UtcNow.AddDays(-10), NotAfter = DateTimeOffset.UtcNow.AddDays(-1) });
        var pin = pki.Write("pin-expired.pem", leaf.CertificatePem);

        await using var connection = await ConnectAsync(leaf, pin);

        Assert.Equal(FindingCodes.CertExpired, connection.Failed.Code);
        Assert.Equal(ValidationSteps.Passed, connection.Step(ValidationSteps.Pin));
    }

    [Theory]
    [InlineData("/nonexistent/dbtls/pin.pem")]
    [InlineData("not-a-certificate")]
    public async Task Unreadable_pin_fails_the_handshake(string pinFile)
    {
        using var leaf = pki.DbLeaf();
        var pin = pinFile.StartsWith('/') ? pinFile : pki.Write("pin-garbage.pem", "not a certificate\n");

        await using var connection = await ConnectAsync(leaf, pin);

        Assert.Equal(FindingCodes.CertPinUnreadable, connection.Failed.Code);
        Assert.Contains(pin, connection.Failed.Message, StringComparison.Ordinal);
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DbTls.Scan;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Scan;

/// <summary>A server with an RSA and an ECDSA certificate side by side (openssl s_server -dcert): the scan shows both chains.</summary>
[Trait("Category", "Integration")]
public sealed class ScanCertificateChainsTests(LocalhostCertificateFixture certificate) : IClassFixture<LocalhostCertificateFixture>
{
    [Fact]
    public async Task Both_chains_of_a_dual_certificate_server_are_reported_with_their_key_types()
    {
        var ecdsa = PostgresScanCases.EcdsaMaterial();
        var directory = OwnedTempDirectory.Create("dbtls-scan-dual-");
        ScanReport report;
        try
        {
            var cert = Path.Combine(directory, "ecdsa.pem");
            var key = Path.Combine(directory, "ecdsa.key");
            await File.WriteAllTextAsync(cert, ecdsa.CertificateChainPem);
            await File.WriteAllTextAsync(key, ecdsa.PrivateKeyPem);
            await using var server = await ScanOpenSslServer.StartAsync(certificate.Leaf, "-dcert", cert, "-dkey", key, "-max_protocol", "TLSv1.2");
            report = await TlsScanner.ScanAsync("127.0.0.1", server.EndPoint.Port, new ScanOptions { Protocol = ScanProtocol.Tls }, CancellationToken.None);
        }
        finally
        {
            OwnedTempDirectory.TryDelete(directory);
        }

        var rsaHash = certificate.Leaf.Certificate.GetCertHashString(HashAlgorithmName.SHA256);
        using var ecdsaCertificate = X509Certificate2.CreateFromPem(ecdsa.CertificateChainPem);
        var ecdsaHash = ecdsaCertificate.GetCertHashString(HashAlgorithmName.SHA256);
        var other = Assert.Single(report.OtherChains);
        var shown = report.Certificates[0];
        Assert.Equal(new[] { rsaHash, ecdsaHash }.Order(), new[] { shown.Sha256, other.Certificates[0].Sha256 }.Order());
        Assert.Equal(other.Certificates[0].Sha256 == ecdsaHash ? "ECDSA" : "RSA", other.KeyType);
        Assert.StartsWith(other.KeyType, other.Certificates[0].Key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_with_one_certificate_has_no_other_chain_and_no_extra_probe()
    {
        await using var server = await ScanOpenSslServer.StartAsync(certificate.Leaf, "-max_protocol", "TLSv1.2");

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.EndPoint.Port, new ScanOptions { Protocol = ScanProtocol.Tls }, CancellationToken.None);

        Assert.Empty(report.OtherChains);
        Assert.All(report.Versions.Single(v => v.Version == "TLSv1.2").Suites, s => Assert.DoesNotContain("_ECDSA_", s.Name, StringComparison.Ordinal));
    }
}

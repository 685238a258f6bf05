using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Tls.OpenSsl;

/// <summary>
/// A root migration as certificate authorities do it: old root R1, new root R2, the cross certificate R2-by-R1 (R2's
/// name and key, issued by R1), an intermediate under each root and a server leaf (SAN localhost) under each
/// intermediate, plus an expired self-signed R1 (same name and key as R1) and an unrelated root. Everything is generated
/// per run; <see cref="WriteTrust"/> writes a trust file in the order given.
/// </summary>
public sealed class CrossSignedHierarchy : IDisposable
{
    public CrossSignedHierarchy()
    {
        R1 = CertFactory.CreateRoot("dbtls Cross Old Root R1");
        R2 = CertFactory.CreateRoot("dbtls Cross New Root R2");
        Unrelated = CertFactory.CreateRoot("dbtls Cross Unrelated Root");
        R2ByR1 = SignWith(R2.Certificate.SubjectName, R2.Key, R1, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(3000));
        R1Expired = SignWith(R1.Certificate.SubjectName, R1.Key, issuer: null, DateTimeOffset.UtcNow.AddDays(-3650), DateTimeOffset.UtcNow.AddDays(-1));
        I1 = CertFactory.CreateIntermediate(R1, "dbtls Cross Intermediate by R1");
        I2 = CertFactory.CreateIntermediate(R2, "dbtls Cross Intermediate by R2");
        var spec = new CertSpec { CommonName = "localhost", DnsNames = ["localhost"] };
        L1 = CertFactory.CreateLeaf(I1, spec);
        L2 = CertFactory.CreateLeaf(I2, spec);
        Directory = System.IO.Directory.CreateTempSubdirectory("dbtls-cross-").FullName;
    }

    public IssuedCert R1 { get; }

    public IssuedCert R2 { get; }

    public IssuedCert Unrelated { get; }

    /// <summary>R2's subject and key, issued (signed) by R1.</summary>
    public X509Certificate2 R2ByR1 { get; }

    /// <summary>R1's subject and key, self-signed, expired yesterday.</summary>
    public X509Certificate2 R1Expired { get; }

    public IssuedCert I1 { get; }

    public IssuedCert I2 { get; }

    public IssuedCert L1 { get; }

    public IssuedCert L2 { get; }

    public string Directory { get; }

    /// <summary>Trust files by name, each listing its certificates in this order.</summary>
    public IReadOnlyDictionary<string, X509Certificate2[]> TrustFiles => new Dictionary<string, X509Certificate2[]>(StringComparer.Ordinal)
    {
        ["cross,R2"] = [R2ByR1, R2.Certificate],
        ["R2,cross"] = [R2.Certificate, R2ByR1],
        ["R1expired,cross,R2"] = [R1Expired, R2ByR1, R2.Certificate],
        ["cross,R2,R1expired"] = [R2ByR1, R2.Certificate, R1Expired],
        ["R1,cross,R2"] = [R1.Certificate, R2ByR1, R2.Certificate],
        ["unrelated,cross,R2"] = [Unrelated.Certificate, R2ByR1, R2.Certificate],
        ["R2"] = [R2.Certificate],
        ["R1"] = [R1.Certificate],
        ["R1expired"] = [R1Expired],
        ["cross"] = [R2ByR1],
    };

    /// <summary>What the server sends, leaf first, by name.</summary>
    public IReadOnlyDictionary<string, X509Certificate2[]> ServerChains => new Dictionary<string, X509Certificate2[]>(StringComparer.Ordinal)
    {
        ["L2,I2"] = [L2.Certificate, I2.Certificate],
        ["L2,I2,cross"] = [L2.Certificate, I2.Certificate, R2ByR1],
        ["L2,cross,I2"] = [L2.Certificate, R2ByR1, I2.Certificate],
        ["L2"] = [L2.Certificate],
        ["L2,unrelated,I2"] = [L2.Certificate, Unrelated.Certificate, I2.Certificate],
        ["L1,I1"] = [L1.Certificate, I1.Certificate],
    };

    /// <summary>The private key that goes with a server chain's leaf.</summary>
    public IssuedCert LeafOf(string chain) => chain.StartsWith("L1", StringComparison.Ordinal) ? L1 : L2;

    public string WriteTrust(string name) =>
        CertFactory.WritePem(Path.Combine(Directory, $"trust-{name}.pem"), Pem(TrustFiles[name]));

    public static string Pem(IEnumerable<X509Certificate2> certificates) =>
        string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n"));

    public void Dispose()
    {
        foreach (var cert in new[] { R1, R2, Unrelated, I1, I2, L1, L2 })
        {
            cert.Dispose();
        }

        R2ByR1.Dispose();
        R1Expired.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>A CA certificate for <paramref name="subject"/>'s key, signed by <paramref name="issuer"/> (self-signed when null), validity as given.</summary>
    private static X509Certificate2 SignWith(X500DistinguishedName subject, RSA key, IssuedCert? issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var signer = issuer ?? null;
        if (signer is not null)
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(signer.Certificate, true, false));
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var generator = X509SignatureGenerator.CreateForRSA(signer?.Key ?? key, RSASignaturePadding.Pkcs1);
        // This overload does not clamp to the issuer's validity, so the cross certificate may outlive R1 as real ones do.
        return request.Create(signer?.Certificate.SubjectName ?? subject, generator, notBefore, notAfter, serial);
    }
}

using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DbTls.Tests.Infrastructure;

/// <summary>Options for one generated certificate. Every fixture is made fresh by the tests; no key is committed.</summary>
public sealed record CertSpec
{
    public string? CommonName { get; init; }

    public IReadOnlyList<string> DnsNames { get; init; } = [];

    public IReadOnlyList<IPAddress> IpAddresses { get; init; } = [];

    public DateTimeOffset? NotBefore { get; init; }

    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>Extended key usages; null means serverAuth for leaves, none for CAs; empty means no EKU extension.</summary>
    public IReadOnlyList<Oid>? ExtendedKeyUsages { get; init; }

    public bool IsCertificateAuthority { get; init; }

    /// <summary>Distinguished name; when null it is built from <see cref="CommonName"/>.</summary>
    public string? SubjectName { get; init; }

    /// <summary>Further extensions added as given (e.g. Authority Information Access, TLS feature).</summary>
    public IReadOnlyList<X509Extension> Extensions { get; init; } = [];
}

/// <summary>A generated certificate with its private key.</summary>
public sealed class IssuedCert : IDisposable
{
    internal IssuedCert(X509Certificate2 certificate, RSA key, IssuedCert? issuer)
    {
        Certificate = certificate;
        Key = key;
        Issuer = issuer;
    }

    /// <summary>The certificate with its private key attached.</summary>
    public X509Certificate2 Certificate { get; }

    public RSA Key { get; }

    public IssuedCert? Issuer { get; }

    public string CertificatePem => Certificate.ExportCertificatePem() + "\n";

    public string PrivateKeyPem => Key.ExportPkcs8PrivateKeyPem() + "\n";

    public string RsaPrivateKeyPem => Key.ExportRSAPrivateKeyPem() + "\n";

    private BigInteger _nextCrlNumber = BigInteger.One;

    /// <summary>A CRL signed by this (CA) certificate listing the given serial numbers.</summary>
    public byte[] CreateCrl(IEnumerable<IssuedCert> revoked, DateTimeOffset? thisUpdate = null, DateTimeOffset? nextUpdate = null)
    {
        var builder = new CertificateRevocationListBuilder();
        var now = DateTimeOffset.UtcNow;
        foreach (var cert in revoked)
        {
            builder.AddEntry(cert.Certificate, now.AddMinutes(-5), X509RevocationReason.KeyCompromise);
        }

        var number = _nextCrlNumber;
        _nextCrlNumber += 1;
        return builder.Build(Certificate, number, nextUpdate ?? now.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, thisUpdate ?? now.AddMinutes(-10));
    }

    public string CreateCrlPem(IEnumerable<IssuedCert> revoked, DateTimeOffset? thisUpdate = null, DateTimeOffset? nextUpdate = null) =>
        new string(PemEncoding.Write("X509 CRL", CreateCrl(revoked, thisUpdate, nextUpdate))) + "\n";

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}

/// <summary>
/// Builds CA hierarchies and leaf certificates with .NET's CertificateRequest: roots,
/// intermediates, SAN/CN variants, wildcards, IP SANs, expired and not-yet-valid certificates,
/// wrong EKU, and CRLs.
/// </summary>
public static class CertFactory
{
    public static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "Server Authentication");
    public static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    public static IssuedCert CreateRoot(string commonName = "dbtls Test Root CA") =>
        Issue(new CertSpec { CommonName = commonName, IsCertificateAuthority = true }, issuer: null);

    public static IssuedCert CreateIntermediate(IssuedCert issuer, string commonName = "dbtls Test Intermediate CA") =>
        Issue(new CertSpec { CommonName = commonName, IsCertificateAuthority = true }, issuer);

    public static IssuedCert CreateLeaf(IssuedCert issuer, CertSpec spec) => Issue(spec, issuer);

    public static IssuedCert Issue(CertSpec spec, IssuedCert? issuer)
    {
        var key = RSA.Create(2048);
        var subject = new X500DistinguishedName(spec.SubjectName ?? (spec.CommonName is null ? "O=dbtls tests" : $"CN={spec.CommonName}, O=dbtls tests"));
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(spec.IsCertificateAuthority, false, 0, spec.IsCertificateAuthority));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            spec.IsCertificateAuthority
                ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature
                : X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
            critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        var ekus = spec.ExtendedKeyUsages ?? (spec.IsCertificateAuthority ? [] : [ServerAuth]);
        if (ekus.Count > 0)
        {
            var collection = new OidCollection();
            foreach (var oid in ekus)
            {
                collection.Add(oid);
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(collection, false));
        }

        if (spec.DnsNames.Count > 0 || spec.IpAddresses.Count > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var dns in spec.DnsNames)
            {
                san.AddDnsName(dns);
            }

            foreach (var ip in spec.IpAddresses)
            {
                san.AddIpAddress(ip);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        foreach (var extension in spec.Extensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        if (issuer is not null)
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate, true, false));
        }

        var now = DateTimeOffset.UtcNow;
        var notBefore = spec.NotBefore ?? now.AddDays(-1);
        var notAfter = spec.NotAfter ?? now.AddDays(spec.IsCertificateAuthority ? 3650 : 365);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive

        X509Certificate2 certificate;
        if (issuer is null)
        {
            certificate = request.CreateSelfSigned(notBefore, notAfter);
        }
        else
        {
            // A child may not outlive its issuer as far as CertificateRequest is concerned.
            if (notAfter > issuer.Certificate.NotAfter)
                notAfter = issuer.Certificate.NotAfter;
            if (notBefore < issuer.Certificate.NotBefore)
                notBefore = issuer.Certificate.NotBefore;
            using var signed = request.Create(issuer.Certificate, notBefore, notAfter, serial);
            certificate = signed.CopyWithPrivateKey(key);
        }

        return new IssuedCert(certificate, key, issuer);
    }

    /// <summary>Writes PEM text to a file with owner-only permissions (PostgreSQL insists on 0600 keys).</summary>
    public static string WritePem(string path, string pem, bool secret = false)
    {
        File.WriteAllText(path, pem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, secret ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        return path;
    }
}

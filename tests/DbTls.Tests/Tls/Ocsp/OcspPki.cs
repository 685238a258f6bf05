using System.Formats.Asn1;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DbTls.Policy;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Tls.Ocsp;

/// <summary>
/// The OCSP test CA: a root that issues the server certificates directly, a delegated responder
/// certificate (id-kp-OCSPSigning) and a certificate of the same CA without that usage (a signer the
/// client must refuse). Generated fresh per test run; keys live only in a temporary directory.
/// </summary>
public sealed class OcspPki : IDisposable
{
    public static readonly Oid OcspSigning = new("1.3.6.1.5.5.7.3.9", "OCSP Signing");

    public OcspPki()
    {
        Directory = OwnedTempDirectory.Create("dbtls-ocsp-");
        Root = CertFactory.CreateRoot("dbtls OCSP Test CA");
        Responder = CertFactory.CreateLeaf(Root, new CertSpec { CommonName = "dbtls OCSP Responder", ExtendedKeyUsages = [OcspSigning] });
        WrongSigner = CertFactory.CreateLeaf(Root, new CertSpec { CommonName = "dbtls not an OCSP signer", ExtendedKeyUsages = [CertFactory.ServerAuth] });
        RootFile = Write("root.pem", Root.CertificatePem);
    }

    public string Directory { get; }

    public IssuedCert Root { get; }

    public IssuedCert Responder { get; }

    public IssuedCert WrongSigner { get; }

    public string RootFile { get; }

    /// <summary>A server certificate for localhost / 127.0.0.1 naming <paramref name="responderUrl"/> in its AIA extension.</summary>
    public IssuedCert Server(Uri? responderUrl, bool mustStaple = false)
    {
        var extensions = new List<X509Extension>();
        if (responderUrl is not null)
        {
            extensions.Add(new X509AuthorityInformationAccessExtension([responderUrl.ToString()], null));
        }

        if (mustStaple)
        {
            extensions.Add(new X509Extension("1.3.6.1.5.5.7.1.24", TlsFeatureStatusRequest(), critical: false));
        }

        return CertFactory.CreateLeaf(Root, new CertSpec
        {
            CommonName = "localhost",
            DnsNames = ["localhost"],
            IpAddresses = [IPAddress.Loopback],
            Extensions = extensions,
        });
    }

    /// <summary>TLSFeature ::= SEQUENCE OF INTEGER, here { status_request (5) } (RFC 7633).</summary>
    private static byte[] TlsFeatureStatusRequest()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(5);
        }

        return writer.Encode();
    }

    public TlsPolicy Policy(OcspPolicy ocsp) => new()
    {
        Encryption = EncryptionMode.TlsFirst,
        Verification = VerificationLevel.ChainAndHostName,
        Trust = new TrustSource.PemFile(RootFile),
        HostNameRules = HostNameRules.Rfc6125,
        Revocation = new RevocationPolicy { Ocsp = ocsp },
    };

    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public (string Certificate, string Key) WriteKeyPair(IssuedCert cert)
    {
        var name = Guid.NewGuid().ToString("N");
        var certificate = Write($"{name}.pem", cert.CertificatePem);
        var key = Path.Combine(Directory, $"{name}.key");
        CertFactory.WritePem(key, cert.PrivateKeyPem, secret: true);
        return (certificate, key);
    }

    /// <summary>One line of an OpenSSL CA database (index.txt) for the certificate.</summary>
    public static string IndexLine(IssuedCert cert, DateTimeOffset? revokedAt = null, string? reason = null)
    {
        var expiry = cert.Certificate.NotAfter.ToUniversalTime().ToString("yyMMddHHmmss'Z'", CultureInfo.InvariantCulture);
        var revoked = revokedAt is { } at ? at.UtcDateTime.ToString("yyMMddHHmmss'Z'", CultureInfo.InvariantCulture) + (reason is null ? "" : "," + reason) : "";
        return $"{(revokedAt is null ? "V" : "R")}\t{expiry}\t{revoked}\t{cert.Certificate.SerialNumber}\tunknown\t/CN={cert.Certificate.GetNameInfo(X509NameType.SimpleName, false)}\n";
    }

    public void Dispose()
    {
        Root.Dispose();
        Responder.Dispose();
        WrongSigner.Dispose();
        OwnedTempDirectory.TryDelete(Directory);
    }
}

[CollectionDefinition("ocsp")]
public sealed class OcspCollection : ICollectionFixture<OcspPki>;

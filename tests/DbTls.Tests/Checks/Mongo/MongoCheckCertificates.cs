using System.Net;
using System.Security.Cryptography;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Mongo;

namespace DbTls.Tests.Checks.Mongo;

/// <summary>
/// The MongoDB test certificates plus what the check's matrix needs: a server certificate from a root the
/// client does not trust, one for another host name, one issued by an intermediate the server may leave
/// out, and the client certificate as tlsCertificateKeyFile PEM files (plain and with an encrypted key).
/// </summary>
public sealed class MongoCheckCertificates : IDisposable
{
    public const string KeyPassword = "Key-Pass-41!";

    /// <summary>The host an SRV record of the DNS tests points to; only the test's dnsmasq knows its address.</summary>
    public const string SrvTargetName = "a.cluster0.mongo.test";

    public MongoCheckCertificates()
    {
        Base = new MongoTestCertificates();
        OtherRoot = CertFactory.CreateRoot("dbtls Mongo Other Root");
        Untrusted = CertFactory.CreateLeaf(OtherRoot, new CertSpec { CommonName = "localhost", DnsNames = ["localhost"], IpAddresses = [IPAddress.Loopback] });
        WrongHost = CertFactory.CreateLeaf(Base.Root, new CertSpec { CommonName = "db.other.test", DnsNames = ["db.other.test"] });
        SrvTarget = CertFactory.CreateLeaf(Base.Root, new CertSpec { CommonName = SrvTargetName, DnsNames = [SrvTargetName] });
        Intermediate = CertFactory.CreateIntermediate(Base.Root, "dbtls Mongo Intermediate CA");
        ViaIntermediate = CertFactory.CreateLeaf(Intermediate, new CertSpec { CommonName = "localhost", DnsNames = ["localhost"], IpAddresses = [IPAddress.Loopback] });
        ClientPemFile = CertFactory.WritePem(Path.Combine(Base.Directory.FullName, "client.pem"), Base.Client.CertificatePem + Base.Client.PrivateKeyPem, secret: true);
        var encryptedKey = Base.Client.Key.ExportEncryptedPkcs8PrivateKeyPem(KeyPassword,
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000)) + "\n";
        ClientEncryptedPemFile = CertFactory.WritePem(Path.Combine(Base.Directory.FullName, "client-encrypted.pem"), Base.Client.CertificatePem + encryptedKey, secret: true);
    }

    public MongoTestCertificates Base { get; }

    public IssuedCert OtherRoot { get; }

    public IssuedCert Untrusted { get; }

    public IssuedCert WrongHost { get; }

    public IssuedCert SrvTarget { get; }

    public IssuedCert Intermediate { get; }

    public IssuedCert ViaIntermediate { get; }

    public string ClientPemFile { get; }

    public string ClientEncryptedPemFile { get; }

    public string CaFile => Base.CaFile;

    public void Dispose()
    {
        ViaIntermediate.Dispose();
        Intermediate.Dispose();
        WrongHost.Dispose();
        SrvTarget.Dispose();
        Untrusted.Dispose();
        OtherRoot.Dispose();
        Base.Dispose();
    }
}

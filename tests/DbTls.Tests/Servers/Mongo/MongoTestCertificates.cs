using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Servers.Mongo;

/// <summary>A root CA, a server certificate for localhost/127.0.0.1 and a client certificate, generated per test class.</summary>
public sealed class MongoTestCertificates : IDisposable
{
    public MongoTestCertificates()
    {
        Root = CertFactory.CreateRoot("dbtls Mongo Test Root");
        Server = CertFactory.CreateLeaf(Root, new CertSpec { CommonName = "localhost", DnsNames = ["localhost"], IpAddresses = [IPAddress.Loopback] });
        Client = CertFactory.CreateLeaf(Root, new CertSpec { CommonName = "dbtls-client", ExtendedKeyUsages = [CertFactory.ClientAuth] });
        Directory = System.IO.Directory.CreateTempSubdirectory("dbtls-mongo-");
        CaFile = Path.Combine(Directory.FullName, "ca.pem");
        File.WriteAllText(CaFile, Root.CertificatePem);
    }

    public IssuedCert Root { get; }

    public IssuedCert Server { get; }

    public IssuedCert Client { get; }

    public DirectoryInfo Directory { get; }

    public string CaFile { get; }

    /// <summary>
    /// What a test client trusts: chains to <see cref="Root"/> only (not the machine's store) and the name
    /// must match. Used as MongoDB.Driver's ServerCertificateValidationCallback, because putting a test CA
    /// into the machine's trust store would change the machine for every other process.
    /// </summary>
    public bool ValidateServer(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Root.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = new X509Certificate2(certificate);
        return chain.Build(presented);
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
        Root.Dispose();
        try
        {
            Directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

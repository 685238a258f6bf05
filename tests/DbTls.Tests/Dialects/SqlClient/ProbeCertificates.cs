using System.Net;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Dialects.SqlClient;

/// <summary>Certificates for the probe: a leaf for localhost under a root nobody trusts, and an unrelated one.</summary>
public sealed class ProbeCertificates : IDisposable
{
    public ProbeCertificates()
    {
        Root = CertFactory.CreateRoot("dbtls probe root");
        Leaf = CertFactory.CreateLeaf(Root, new CertSpec { CommonName = "localhost", DnsNames = ["localhost"], IpAddresses = [IPAddress.Loopback] });
        Other = CertFactory.CreateLeaf(Root, new CertSpec { CommonName = "other.example.com", DnsNames = ["other.example.com"] });
        LeafPem = Directory.Write("leaf.pem", Leaf.CertificatePem);
        OtherPem = Directory.Write("other.pem", Other.CertificatePem);
        RootPem = Directory.Write("root.pem", Root.CertificatePem);
        using var unrelated = CertFactory.CreateRoot("dbtls unrelated root");
        UnrelatedRootPem = Directory.Write("unrelated-root.pem", unrelated.CertificatePem);
    }

    public TempDirectory Directory { get; } = new();

    public IssuedCert Root { get; }

    public IssuedCert Leaf { get; }

    public IssuedCert Other { get; }

    public string LeafPem { get; }

    public string OtherPem { get; }

    public string RootPem { get; }

    /// <summary>A root that signed nothing the probe presents.</summary>
    public string UnrelatedRootPem { get; }

    public void Dispose()
    {
        Other.Dispose();
        Leaf.Dispose();
        Root.Dispose();
        Directory.Dispose();
    }
}

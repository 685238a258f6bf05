using System.Net;

namespace DbTls.Tests.Infrastructure;

/// <summary>A generated root and a localhost leaf (DNS localhost, IP 127.0.0.1) for loopback TLS servers, made once per test class.</summary>
public sealed class LocalhostCertificateFixture : IDisposable
{
    public LocalhostCertificateFixture()
    {
        Root = CertFactory.CreateRoot("dbtls localhost test root");
        Leaf = CertFactory.CreateLeaf(Root, new CertSpec { CommonName = "localhost", DnsNames = ["localhost"], IpAddresses = [IPAddress.Loopback] });
    }

    public IssuedCert Root { get; }

    public IssuedCert Leaf { get; }

    public void Dispose()
    {
        Leaf.Dispose();
        Root.Dispose();
    }
}

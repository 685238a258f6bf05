using System.Net;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Servers.Tds;

/// <summary>A fresh root CA, an intermediate and a server leaf for the TDS test server, with PEM files on disk.</summary>
public sealed class TdsTestCertificates : IDisposable
{
    public TdsTestCertificates()
        : this("localhost", includeLoopbackIp: true, commonName: null)
    {
    }

    /// <summary>A chain whose leaf names <paramref name="dnsName"/> (none when null) and, optionally, 127.0.0.1.</summary>
    public static TdsTestCertificates Create(string? dnsName, bool includeLoopbackIp = true, string? commonName = null) =>
        new(dnsName, includeLoopbackIp, commonName);

    private TdsTestCertificates(string? dnsName, bool includeLoopbackIp, string? commonName)
    {
        Root = CertFactory.CreateRoot("dbtls TDS Test Root");
        Intermediate = CertFactory.CreateIntermediate(Root, "dbtls TDS Test Intermediate");
        Leaf = CertFactory.CreateLeaf(Intermediate, new CertSpec
        {
            CommonName = commonName ?? dnsName ?? "dbtls-tds-test",
            DnsNames = dnsName is null ? [] : [dnsName],
            IpAddresses = includeLoopbackIp ? [IPAddress.Loopback] : [],
        });
        Directory = System.IO.Directory.CreateTempSubdirectory("dbtls-tds-certs-").FullName;
        RootPemPath = CertFactory.WritePem(Path.Combine(Directory, "root.pem"), Root.CertificatePem);
        LeafPemPath = CertFactory.WritePem(Path.Combine(Directory, "server.pem"), Leaf.CertificatePem);
        ChainPemPath = CertFactory.WritePem(Path.Combine(Directory, "chain.pem"), Leaf.CertificatePem + Intermediate.CertificatePem);
    }

    public IssuedCert Root { get; }

    public IssuedCert Intermediate { get; }

    public IssuedCert Leaf { get; }

    public string Directory { get; }

    public string RootPemPath { get; }

    /// <summary>The server certificate alone, as SqlClient's ServerCertificate wants it.</summary>
    public string LeafPemPath { get; }

    public string ChainPemPath { get; }

    /// <summary>Server options with this chain (leaf plus intermediate).</summary>
    public TdsTestServerOptions ServerOptions(TdsTestServerOptions? template = null) =>
        (template ?? new TdsTestServerOptions()) with
        {
            Certificate = Leaf.Certificate,
            Intermediates = [Intermediate.Certificate],
        };

    public void Dispose()
    {
        Leaf.Dispose();
        Intermediate.Dispose();
        Root.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

using System.Net;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Servers.Postgres;

/// <summary>One server certificate set of the matrix: the leaf, the chain the server sends, and its key, in memory and on disk.</summary>
public sealed class ServerCertificateFixture
{
    internal ServerCertificateFixture(string name, string description, IssuedCert leaf, string chainPem, string chainPath, string keyPath, string? clientCaPem)
    {
        Name = name;
        Description = description;
        Leaf = leaf;
        ChainPem = chainPem;
        ChainPath = chainPath;
        KeyPath = keyPath;
        Material = new ServerTlsMaterial(chainPem, leaf.PrivateKeyPem) { CaPem = clientCaPem };
    }

    /// <summary>Short kebab-case name, also the file name stem (e.g. "missing-intermediate").</summary>
    public string Name { get; }

    public string Description { get; }

    public IssuedCert Leaf { get; }

    /// <summary>What the server sends: the leaf, then the intermediate unless the fixture is about a missing one.</summary>
    public string ChainPem { get; }

    public string ChainPath { get; }

    public string KeyPath { get; }

    /// <summary>Ready for <see cref="PostgresServer.ReloadWithCertificatesAsync"/>: this chain and key, with the client CA as ssl_ca_file.</summary>
    public ServerTlsMaterial Material { get; }

    public override string ToString() => Name;
}

/// <summary>
/// The certificate fixtures the PostgreSQL matrix needs, generated fresh with <see cref="CertFactory"/>
/// and written as PEM files into a temp directory. The good hierarchy is root → intermediate → leaf;
/// clients trust <see cref="RootPath"/> only, so a server that does not send the intermediate fails.
/// </summary>
public sealed class PgCertificateFixtures : IDisposable
{
    private static readonly Lazy<PgCertificateFixtures> SharedLazy = new(CreateShared);
    private readonly List<IssuedCert> _owned = [];
    private readonly List<ServerCertificateFixture> _all = [];

    private PgCertificateFixtures(string directory)
    {
        Directory = directory;
        var now = DateTimeOffset.UtcNow;

        // CAs start well in the past so expired leaves can be issued under them.
        RootCa = Own(CertFactory.Issue(new CertSpec { CommonName = "dbtls Test Root CA", IsCertificateAuthority = true, NotBefore = now.AddDays(-400), NotAfter = now.AddDays(3650) }, null));
        IntermediateCa = Own(CertFactory.Issue(new CertSpec { CommonName = "dbtls Test Intermediate CA", IsCertificateAuthority = true, NotBefore = now.AddDays(-399), NotAfter = now.AddDays(3000) }, RootCa));
        WrongRootCa = Own(CertFactory.Issue(new CertSpec { CommonName = "dbtls Wrong Root CA", IsCertificateAuthority = true, NotBefore = now.AddDays(-400), NotAfter = now.AddDays(3650) }, null));
        WrongIntermediateCa = Own(CertFactory.Issue(new CertSpec { CommonName = "dbtls Wrong Intermediate CA", IsCertificateAuthority = true, NotBefore = now.AddDays(-399), NotAfter = now.AddDays(3000) }, WrongRootCa));
        ClientCa = Own(CertFactory.Issue(new CertSpec { CommonName = "dbtls Client CA", IsCertificateAuthority = true, NotBefore = now.AddDays(-400), NotAfter = now.AddDays(3650) }, null));
        ClientCertificate = Own(CertFactory.CreateLeaf(ClientCa, new CertSpec { CommonName = PostgresUsers.Cert, ExtendedKeyUsages = [CertFactory.ClientAuth] }));

        RootPath = Write("root.crt", RootCa.CertificatePem);
        IntermediatePath = Write("intermediate.crt", IntermediateCa.CertificatePem);
        RootAndIntermediatePath = Write("root+intermediate.crt", RootCa.CertificatePem + IntermediateCa.CertificatePem);
        WrongRootPath = Write("wrong-root.crt", WrongRootCa.CertificatePem);
        ClientCaPath = Write("client-ca.crt", ClientCa.CertificatePem);
        ClientCertificatePath = Write("client.crt", ClientCertificate.CertificatePem);
        ClientKeyPath = Write("client.key", ClientCertificate.PrivateKeyPem, secret: true);

        IPAddress[] loopbacks = [IPAddress.Loopback, IPAddress.IPv6Loopback];
        Good = Leaf("good", "leaf via intermediate, SAN DNS localhost + IP 127.0.0.1 and ::1; server sends leaf + intermediate",
            new CertSpec { CommonName = "localhost", DnsNames = ["localhost"], IpAddresses = loopbacks });
        WrongRoot = Leaf("wrong-root", "same names, issued by another root (via its intermediate)",
            new CertSpec { CommonName = "localhost", DnsNames = ["localhost"], IpAddresses = loopbacks }, issuer: WrongIntermediateCa);
        MissingIntermediate = Leaf("missing-intermediate", "good leaf, but the server sends only the leaf",
            new CertSpec { CommonName = "localhost", DnsNames = ["localhost"], IpAddresses = loopbacks }, sendIntermediate: false);
        CnOnly = Leaf("cn-only", "CN=localhost, no SAN extension",
            new CertSpec { CommonName = "localhost" });
        CnDiffersFromSan = Leaf("cn-differs-from-san", "CN=localhost but SAN DNS only other.dbtls.test and db.dbtls.test (CN must be ignored)",
            new CertSpec { CommonName = "localhost", DnsNames = ["other.dbtls.test", "db.dbtls.test"] });
        Wildcard = Leaf("wildcard", "SAN DNS *.dbtls.test (matches a.dbtls.test, not a.b.dbtls.test); connect with hostaddr=127.0.0.1",
            new CertSpec { CommonName = "dbtls wildcard", DnsNames = ["*.dbtls.test"] });
        IpInCnOnly = Leaf("ip-in-cn-only", "CN=127.0.0.1, no SAN extension",
            new CertSpec { CommonName = "127.0.0.1" });
        IpSans = Leaf("ip-sans", "SAN IP 127.0.0.1 and ::1 only, no DNS names",
            new CertSpec { CommonName = "dbtls ip sans", IpAddresses = loopbacks });
        NoNames = Leaf("no-names", "no CN and no SAN (subject O=dbtls tests only)",
            new CertSpec { SubjectName = "O=dbtls tests, OU=no names" });
        Expired = Leaf("expired", "good names, validity ended two days ago",
            new CertSpec { CommonName = "localhost", DnsNames = ["localhost"], IpAddresses = loopbacks, NotBefore = now.AddDays(-60), NotAfter = now.AddDays(-2) });
        NotYetValid = Leaf("not-yet-valid", "good names, validity starts in two days",
            new CertSpec { CommonName = "localhost", DnsNames = ["localhost"], IpAddresses = loopbacks, NotBefore = now.AddDays(2), NotAfter = now.AddDays(60) });
        WrongEku = Leaf("wrong-eku", "good names, EKU clientAuth only",
            new CertSpec { CommonName = "localhost", DnsNames = ["localhost"], IpAddresses = loopbacks, ExtendedKeyUsages = [CertFactory.ClientAuth] });
        Revoked = Leaf("revoked", "good names, revoked by the intermediate's CRL",
            new CertSpec { CommonName = "localhost", DnsNames = ["localhost"], IpAddresses = loopbacks });

        var intermediateCrl = IntermediateCa.CreateCrlPem([Revoked.Leaf]);
        var rootCrl = RootCa.CreateCrlPem([]);
        IntermediateCrlPath = Write("intermediate.crl", intermediateCrl);
        RootCrlPath = Write("root.crl", rootCrl);
        CrlChainPath = Write("crl-chain.crl", rootCrl + intermediateCrl);
    }

    /// <summary>One set shared by every test in the process (generating keys takes seconds); deleted at process exit.</summary>
    public static PgCertificateFixtures Shared => SharedLazy.Value;

    /// <summary>A fresh set in its own temp directory; dispose to delete it.</summary>
    public static PgCertificateFixtures Create() => new(OwnedTempDirectory.Create("dbtls-pgcerts-"));

    public string Directory { get; }

    public IssuedCert RootCa { get; }

    public IssuedCert IntermediateCa { get; }

    public IssuedCert WrongRootCa { get; }

    public IssuedCert WrongIntermediateCa { get; }

    /// <summary>The CA the servers trust for client certificates (their ssl_ca_file).</summary>
    public IssuedCert ClientCa { get; }

    /// <summary>CN=dbtls_cert, clientAuth, issued by <see cref="ClientCa"/>.</summary>
    public IssuedCert ClientCertificate { get; }

    /// <summary>The good root alone: what clients pass as sslrootcert.</summary>
    public string RootPath { get; }

    public string IntermediatePath { get; }

    /// <summary>Root and intermediate in one file (a client-side fix for a server that omits the intermediate).</summary>
    public string RootAndIntermediatePath { get; }

    public string WrongRootPath { get; }

    public string ClientCaPath { get; }

    /// <summary>sslcert for <see cref="PostgresUsers.Cert"/>.</summary>
    public string ClientCertificatePath { get; }

    /// <summary>sslkey for <see cref="PostgresUsers.Cert"/> (mode 0600, PKCS#8 PEM).</summary>
    public string ClientKeyPath { get; }

    /// <summary>The intermediate's CRL, listing <see cref="Revoked"/>'s leaf.</summary>
    public string IntermediateCrlPath { get; }

    /// <summary>The root's CRL, listing nothing (the intermediate is in good standing).</summary>
    public string RootCrlPath { get; }

    /// <summary>Both CRLs in one file: libpq checks CRLs for every CA of the chain, so sslcrl needs both.</summary>
    public string CrlChainPath { get; }

    public ServerCertificateFixture Good { get; }

    public ServerCertificateFixture WrongRoot { get; }

    public ServerCertificateFixture MissingIntermediate { get; }

    public ServerCertificateFixture CnOnly { get; }

    public ServerCertificateFixture CnDiffersFromSan { get; }

    public ServerCertificateFixture Wildcard { get; }

    public ServerCertificateFixture IpInCnOnly { get; }

    public ServerCertificateFixture IpSans { get; }

    public ServerCertificateFixture NoNames { get; }

    public ServerCertificateFixture Expired { get; }

    public ServerCertificateFixture NotYetValid { get; }

    public ServerCertificateFixture WrongEku { get; }

    public ServerCertificateFixture Revoked { get; }

    /// <summary>Every server fixture, <see cref="Good"/> first.</summary>
    public IReadOnlyList<ServerCertificateFixture> All => _all;

    /// <summary>A fixture by its <see cref="ServerCertificateFixture.Name"/> (handy for xunit theory data, which should be strings).</summary>
    public ServerCertificateFixture this[string name] =>
        _all.FirstOrDefault(f => f.Name == name) ?? throw new ArgumentOutOfRangeException(nameof(name), name, "no such fixture");

    /// <summary>The names of all fixtures, for [MemberData].</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "good", "wrong-root", "missing-intermediate", "cn-only", "cn-differs-from-san", "wildcard", "ip-in-cn-only",
        "ip-sans", "no-names", "expired", "not-yet-valid", "wrong-eku", "revoked",
    ];

    public void Dispose()
    {
        foreach (var cert in _owned)
        {
            cert.Dispose();
        }

        _owned.Clear();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static PgCertificateFixtures CreateShared()
    {
        var fixtures = Create();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => fixtures.Dispose();
        return fixtures;
    }

    private IssuedCert Own(IssuedCert cert)
    {
        _owned.Add(cert);
        return cert;
    }

    private string Write(string fileName, string pem, bool secret = false) =>
        CertFactory.WritePem(Path.Combine(Directory, fileName), pem, secret);

    private ServerCertificateFixture Leaf(string name, string description, CertSpec spec, IssuedCert? issuer = null, bool sendIntermediate = true)
    {
        issuer ??= IntermediateCa;
        var leaf = Own(CertFactory.CreateLeaf(issuer, spec));
        var chain = sendIntermediate ? leaf.CertificatePem + issuer.CertificatePem : leaf.CertificatePem;
        var fixture = new ServerCertificateFixture(
            name,
            description,
            leaf,
            chain,
            Write(name + ".chain.crt", chain),
            Write(name + ".key", leaf.PrivateKeyPem, secret: true),
            ClientCa.CertificatePem);
        _all.Add(fixture);
        return fixture;
    }
}

using System.Net;
using System.Net.Sockets;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.EndToEnd.Mongo;

/// <summary>The server certificates of the verdict matrix.</summary>
public enum ServerCertificateCase
{
    Trusted,
    UntrustedRoot,
    WrongHost,
    Expired,
    RevokedByCrl,
}

/// <summary>
/// The certificate matrix for the MongoDB verdict comparison, made fresh per test class: a root the
/// clients trust, leaves for each <see cref="ServerCertificateCase"/>, a client certificate, and the root's
/// CRL (revoking <see cref="ServerCertificateCase.RevokedByCrl"/>) both as a file (dbtls' tlsCRLFile) and
/// over HTTP on loopback at the leaves' CRL distribution point (what MongoDB.Driver, through .NET's chain
/// builder, downloads when it checks revocation).
/// </summary>
public sealed class MongoVerdictCertificates : IDisposable
{
    private readonly HttpListener _crlServer;
    private readonly Dictionary<ServerCertificateCase, IssuedCert> _leaves = [];
    private int _crlDownloads;

    public MongoVerdictCertificates()
    {
        Directory = OwnedTempDirectory.Create("dbtls-mongoverdict-");
        (_crlServer, var crlUrl) = StartCrlServer();

        Root = CertFactory.CreateRoot("dbtls Mongo Verdict Root");
        OtherRoot = CertFactory.CreateRoot("dbtls Mongo Verdict Other Root");
        var now = DateTimeOffset.UtcNow;
        CertSpec Leaf(params string[] names) => new()
        {
            CommonName = names[0],
            DnsNames = names,
            IpAddresses = names.Contains("localhost") ? [IPAddress.Loopback] : [],
            Extensions = [System.Security.Cryptography.X509Certificates.CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crlUrl])],
        };

        _leaves[ServerCertificateCase.Trusted] = CertFactory.CreateLeaf(Root, Leaf("localhost"));
        _leaves[ServerCertificateCase.UntrustedRoot] = CertFactory.CreateLeaf(OtherRoot, Leaf("localhost"));
        _leaves[ServerCertificateCase.WrongHost] = CertFactory.CreateLeaf(Root, Leaf("db.example.test"));
        _leaves[ServerCertificateCase.Expired] = CertFactory.CreateLeaf(Root, Leaf("localhost") with { NotBefore = now.AddDays(-30), NotAfter = now.AddDays(-1) });
        _leaves[ServerCertificateCase.RevokedByCrl] = CertFactory.CreateLeaf(Root, Leaf("localhost"));
        Client = CertFactory.CreateLeaf(Root, new CertSpec { CommonName = "dbtls-client", ExtendedKeyUsages = [CertFactory.ClientAuth], Extensions = [System.Security.Cryptography.X509Certificates.CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crlUrl])] });

        Crl = Root.CreateCrl([_leaves[ServerCertificateCase.RevokedByCrl]]);
        RootPemPath = CertFactory.WritePem(Path.Combine(Directory, "root.pem"), Root.CertificatePem);
        CrlPemPath = CertFactory.WritePem(Path.Combine(Directory, "root.crl.pem"), new string(System.Security.Cryptography.PemEncoding.Write("X509 CRL", Crl)) + "\n");
        ClientPemPath = CertFactory.WritePem(Path.Combine(Directory, "client.pem"), Client.CertificatePem + Client.PrivateKeyPem, secret: true);
        ClientPfxPath = Path.Combine(Directory, "client.pfx");
        File.WriteAllBytes(ClientPfxPath, Client.Certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx));
        _ = ServeCrlAsync();
    }

    public string Directory { get; }

    public IssuedCert Root { get; }

    public IssuedCert OtherRoot { get; }

    public IssuedCert Client { get; }

    /// <summary>The root's CRL (DER), revoking the <see cref="ServerCertificateCase.RevokedByCrl"/> leaf.</summary>
    public byte[] Crl { get; }

    public string RootPemPath { get; }

    public string CrlPemPath { get; }

    /// <summary>Client certificate and its key in one PEM file (tlsCertificateKeyFile).</summary>
    public string ClientPemPath { get; }

    /// <summary>Client certificate with its key as PKCS#12 (for SslSettings.ClientCertificates in the driver's process).</summary>
    public string ClientPfxPath { get; }

    /// <summary>How many times the CRL was downloaded (shows that a client really checked revocation).</summary>
    public int CrlDownloads => Volatile.Read(ref _crlDownloads);

    public IssuedCert Server(ServerCertificateCase which) => _leaves[which];

    public void Dispose()
    {
        _crlServer.Close();
        foreach (var leaf in _leaves.Values)
        {
            leaf.Dispose();
        }

        Client.Dispose();
        Root.Dispose();
        OtherRoot.Dispose();
        OwnedTempDirectory.TryDelete(Directory);
    }

    private static (HttpListener Listener, string CrlUrl) StartCrlServer()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, $"http://127.0.0.1:{port}/root.crl");
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task ServeCrlAsync()
    {
        while (_crlServer.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _crlServer.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            if (context.Request.Url?.AbsolutePath == "/root.crl")
            {
                Interlocked.Increment(ref _crlDownloads);
                response.ContentType = "application/pkix-crl";
                await response.OutputStream.WriteAsync(Crl);
            }
            else
            {
                response.StatusCode = 404;
            }
        }
    }
}

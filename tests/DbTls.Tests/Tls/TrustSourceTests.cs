using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls.Trust;
using DbTls.Tls.Verification;

namespace DbTls.Tests.Tls;

[Trait("Category", "Integration")]
[Collection("tls")]
public class TrustSourceTests(TlsPki pki)
{
    private async Task<(Connection Connection, TestTlsServer Server)> ConnectAsync(TrustSource trust)
    {
        var leaf = pki.DbLeaf();
        var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate] });
        return (await Connection.OpenAsync(server.EndPoint, TlsPki.Policy(trust), "db.test"), server);
    }

    [Fact]
    public async Task Der_file()
    {
        var der = pki.Write("root.der", pki.Root.Certificate.RawData);
        var (connection, server) = await ConnectAsync(new TrustSource.PemFile(der));
        await using (server)
        await using (connection)
        {
            Assert.Contains($"file {der} (1 certificate)", connection.Detail(ValidationSteps.Chain), StringComparison.Ordinal);
            Assert.NotNull(connection.Session);
        }
    }

    [Fact]
    public async Task Directory_with_hashed_names_and_junk()
    {
        var directory = Path.Combine(pki.Directory, $"cadir-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "a1b2c3d4.0"), pki.Root.CertificatePem);
        File.WriteAllText(Path.Combine(directory, "other.crt"), pki.OtherRoot.CertificatePem);
        File.WriteAllText(Path.Combine(directory, "broken.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        File.WriteAllText(Path.Combine(directory, "README.txt"), pki.Root.CertificatePem); // not a certificate file name: ignored

        var (connection, server) = await ConnectAsync(new TrustSource.PemDirectory(directory));
        await using (server)
        await using (connection)
        {
            Assert.NotNull(connection.Session);
            var detail = connection.Detail(ValidationSteps.Chain);
            Assert.Contains($"directory {directory} (2 certificates)", detail, StringComparison.Ordinal);
            Assert.Contains("skipped broken.pem: no certificate in it", detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Pkcs12_store_with_password()
    {
        var store = new X509Certificate2Collection { X509CertificateLoader.LoadCertificate(pki.Root.Certificate.RawData) };
        var path = pki.Write($"trust-{Guid.NewGuid():N}.p12", store.Export(X509ContentType.Pkcs12, "changeit")!);

        var (connection, server) = await ConnectAsync(new TrustSource.Pkcs12Store(path, new Secret("changeit")));
        await using (server)
        await using (connection)
        {
            Assert.NotNull(connection.Session);
            Assert.Contains($"PKCS#12 store {path} (1 certificate)", connection.Detail(ValidationSteps.Chain), StringComparison.Ordinal);
        }

        var (wrong, wrongServer) = await ConnectAsync(new TrustSource.Pkcs12Store(path, new Secret("s3cret-Wrong")));
        await using (wrongServer)
        await using (wrong)
        {
            Assert.Equal(FindingCodes.ConfigInvalid, wrong.Failed.Code);
            Assert.Contains("integrity check failed", wrong.Failed.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret-Wrong", wrong.Failed.ToString(), StringComparison.Ordinal);
            Assert.Empty(wrong.Report.Certificates);

            // Nothing was sent before the configuration error: the server saw the connection end without a byte.
            await wrong.DisposeAsync();
            await wrongServer.WaitForConnectionClosedAsync();
            Assert.False(wrongServer.ClientHelloSeen);
            Assert.Equal(0, wrongServer.WireBytesReceived);
        }
    }

    [Fact]
    public async Task Missing_root_file()
    {
        var (connection, server) = await ConnectAsync(new TrustSource.PemFile(Path.Combine(pki.Directory, "nope.pem")));
        await using (server)
        await using (connection)
        {
            Assert.Equal(FindingCodes.CertRootFileMissing, connection.Failed.Code);
            Assert.Contains("nope.pem\" does not exist", connection.Failed.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task File_without_certificates()
    {
        var empty = pki.Write("empty.pem", "nothing here\n");
        var (connection, server) = await ConnectAsync(new TrustSource.PemFile(empty));
        await using (server)
        await using (connection)
        {
            Assert.Equal(FindingCodes.ConfigInvalid, connection.Failed.Code);
            Assert.Contains("no certificate found", connection.Failed.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task System_store_does_not_know_the_test_root()
    {
        var (connection, server) = await ConnectAsync(TrustSource.System);
        await using (server)
        await using (connection)
        {
            Assert.Equal(FindingCodes.CertUntrusted, connection.Failed.Code);
            Assert.Contains("the system trust store", connection.Failed.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("root.pem", true)]
    [InlineData("ROOT.CRT", true)]
    [InlineData("x.cer", true)]
    [InlineData("5d30f3c5.0", true)]
    [InlineData("5d30f3c5.12", true)]
    [InlineData("5d30f3c5.r0", false)]
    [InlineData("README", false)]
    [InlineData("5d30f3c.0", false)]
    public void Directory_file_names(string name, bool expected) =>
        Assert.Equal(expected, TrustStoreLoader.IsCertificateFileName(Path.Combine("/x", name)));
}

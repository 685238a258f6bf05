using System.Security.Cryptography;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tests.Infrastructure;
using DbTls.Tls;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;

namespace DbTls.Tests.Tls;

/// <summary>
/// Client certificates: key formats and passwords, ClientCertificateMode, detection of the
/// server's CertificateRequest, and rejection by a real OpenSSL server (s_server -Verify) under
/// TLS 1.2 (alert in the handshake) and TLS 1.3 (alert on the first read).
/// </summary>
[Trait("Category", "Integration")]
[Collection("tls")]
public sealed class TlsClientCertificateTests : IDisposable
{
    private const string Password = "pa55-Word!";
    private readonly TlsPki _pki;
    private readonly IssuedCert _clientRoot;
    private readonly IssuedCert _clientIntermediate;
    private readonly IssuedCert _alice;

    public TlsClientCertificateTests(TlsPki pki)
    {
        _pki = pki;
        _clientRoot = CertFactory.CreateRoot("dbtls Client Root CA");
        _clientIntermediate = CertFactory.CreateIntermediate(_clientRoot, "dbtls Client Intermediate CA");
        _alice = CertFactory.CreateLeaf(_clientRoot, new CertSpec { CommonName = "alice", ExtendedKeyUsages = [CertFactory.ClientAuth] });
    }

    public void Dispose()
    {
        _alice.Dispose();
        _clientIntermediate.Dispose();
        _clientRoot.Dispose();
    }

    private string Name(string suffix) => $"client-{Guid.NewGuid():N}-{suffix}";

    private ClientCertificateSource EncryptedPkcs8(IssuedCert cert)
    {
        var pem = cert.Key.ExportEncryptedPkcs8PrivateKeyPem(Password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));
        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", pem, StringComparison.Ordinal);
        return new ClientCertificateSource(_pki.Write(Name("cert.pem"), cert.CertificatePem), _pki.Write(Name("key.pem"), pem + "\n"), new Secret(Password));
    }

    private TlsPolicy Policy(ClientCertificateSource? source, ClientCertificateMode mode = ClientCertificateMode.Allowed) =>
        _pki.RootPolicy() with { ClientCertificate = source, ClientCertificateMode = mode };

    private TestTlsServer Server(bool request = false, bool require = false)
    {
        var leaf = _pki.DbLeaf();
        return TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [_pki.Intermediate.Certificate], RequestClientCertificate = request, RequireClientCertificate = require });
    }

    [Fact]
    public async Task Required_and_sent_with_an_encrypted_pkcs8_key()
    {
        await using var server = Server(require: true);
        await using var connection = await Connection.OpenAsync(server.EndPoint, Policy(EncryptedPkcs8(_alice), ClientCertificateMode.Required), "db.test");

        Assert.Equal("ping", await connection.RoundTripAsync("ping"));
        Assert.True(connection.Report.ClientCertificateRequested);
        Assert.True(connection.Report.ClientCertificateSent);
        Assert.Equal(_alice.Certificate.Thumbprint, server.ClientCertificate?.Thumbprint);
    }

    [Fact]
    public async Task Legacy_openssl_encrypted_pem_key()
    {
        var keyParameter = PrivateKeyFactory.CreateKey(_alice.Key.ExportPkcs8PrivateKey());
        using var text = new StringWriter();
        var writer = new PemWriter(text);
        writer.WriteObject(new MiscPemGenerator(keyParameter, "AES-256-CBC", Password.ToCharArray(), new SecureRandom()));
        writer.Writer.Flush();
        var pem = text.ToString();
        Assert.Contains("Proc-Type: 4,ENCRYPTED", pem, StringComparison.Ordinal);
        Assert.Contains("BEGIN RSA PRIVATE KEY", pem, StringComparison.Ordinal);

        // OpenSSL itself reads it with the password: the fixture is a genuine legacy PEM.
        var keyFile = _pki.Write(Name("legacy.key"), pem);
        Assert.Equal(0, OpenSslCli.Run("pkey", "-in", keyFile, "-passin", "pass:" + Password, "-noout").ExitCode);

        await using var server = Server(request: true);
        var source = new ClientCertificateSource(_pki.Write(Name("cert.pem"), _alice.CertificatePem), keyFile, new Secret(Password));
        await using var connection = await Connection.OpenAsync(server.EndPoint, Policy(source), "db.test");

        Assert.NotNull(connection.Session);
        Assert.True(connection.Report.ClientCertificateSent);

        // Under TLS 1.3 the client finishes first; a round trip makes sure the server has processed the certificate.
        Assert.Equal("ping", await connection.RoundTripAsync("ping"));
        Assert.Equal(_alice.Certificate.Thumbprint, server.ClientCertificate?.Thumbprint);
    }

    [Fact]
    public async Task Der_certificate_and_pkcs1_der_key_in_one_and_pem_pkcs1_in_another()
    {
        await using var server = Server(request: true);
        var der = new ClientCertificateSource(_pki.Write(Name("cert.der"), _alice.Certificate.RawData), _pki.Write(Name("key.der"), _alice.Key.ExportRSAPrivateKey()), null);
        await using (var connection = await Connection.OpenAsync(server.EndPoint, Policy(der), "db.test"))
        {
            Assert.True(connection.Report.ClientCertificateSent);
        }

        // Certificate and PKCS#1 key in the same PEM file, no key path.
        var combined = new ClientCertificateSource(_pki.Write(Name("both.pem"), _alice.CertificatePem + _alice.RsaPrivateKeyPem), null, null);
        await using var again = await Connection.OpenAsync(server.EndPoint, Policy(combined), "db.test");
        Assert.True(again.Report.ClientCertificateSent);
    }

    [Fact]
    public async Task Wrong_password_is_a_configuration_error_that_does_not_echo_it()
    {
        var good = EncryptedPkcs8(_alice);
        await using var server = Server(request: true);
        await using var connection = await Connection.OpenAsync(server.EndPoint, Policy(good with { KeyPassword = new Secret("Not-The-Password-42") }), "db.test");

        Assert.Equal(FindingCodes.ConfigInvalid, connection.Failed.Code);
        Assert.Contains("wrong password", connection.Failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Not-The-Password-42", connection.Failed.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, connection.Failed.ToString(), StringComparison.Ordinal);

        // The key is loaded before any byte goes out: the server saw the connection end without one.
        await connection.DisposeAsync();
        await server.WaitForConnectionClosedAsync();
        Assert.False(server.ClientHelloSeen);
        Assert.Equal(0, server.WireBytesReceived);
    }

    [Fact]
    public async Task Missing_password_for_an_encrypted_key()
    {
        var good = EncryptedPkcs8(_alice);
        await using var server = Server(request: true);
        await using var connection = await Connection.OpenAsync(server.EndPoint, Policy(good with { KeyPassword = null }), "db.test");

        Assert.Equal(FindingCodes.ConfigInvalid, connection.Failed.Code);
        Assert.Contains("is encrypted and no password was given", connection.Failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_that_belongs_to_another_certificate()
    {
        using var other = CertFactory.CreateLeaf(_clientRoot, new CertSpec { CommonName = "bob" });
        var source = new ClientCertificateSource(_pki.Write(Name("cert.pem"), _alice.CertificatePem), _pki.Write(Name("key.pem"), other.PrivateKeyPem), null);
        await using var server = Server(request: true);
        await using var connection = await Connection.OpenAsync(server.EndPoint, Policy(source), "db.test");

        Assert.Equal(FindingCodes.ConfigInvalid, connection.Failed.Code);
        Assert.StartsWith("certificate does not match private key file", connection.Failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Required_mode_fails_when_the_server_does_not_ask()
    {
        await using var server = Server();
        await using var connection = await Connection.OpenAsync(server.EndPoint, Policy(EncryptedPkcs8(_alice), ClientCertificateMode.Required), "db.test");

        Assert.Equal(FindingCodes.ClientCertNotRequested, connection.Failed.Code);
        Assert.StartsWith("server did not request an SSL certificate", connection.Failed.Message, StringComparison.Ordinal);
        Assert.False(connection.Report.ClientCertificateRequested);
        Assert.Equal("TLSv1.3", connection.Report.Protocol); // the handshake itself completed
    }

    [Fact]
    public async Task Required_mode_without_a_certificate_detects_the_request_and_fails_as_libpq_does()
    {
        // libpq 16+ (sslcertmode=require) fails when it sent no certificate even though the server let the handshake
        // finish; measured against libpq 18 in CrossSignLibpqCornersTests.
        await using var server = Server(request: true);
        await using var connection = await Connection.OpenAsync(server.EndPoint, Policy(null, ClientCertificateMode.Required), "db.test");

        Assert.Equal(FindingCodes.ClientCertMissing, connection.Failed.Code);
        Assert.StartsWith("server accepted connection without a valid SSL certificate", connection.Failed.Message, StringComparison.Ordinal);
        Assert.True(connection.Report.ClientCertificateRequested);
        Assert.False(connection.Report.ClientCertificateSent);
    }

    [Fact]
    public async Task Disabled_mode_never_sends_even_when_asked()
    {
        await using var server = Server(request: true);
        await using var connection = await Connection.OpenAsync(server.EndPoint, Policy(EncryptedPkcs8(_alice), ClientCertificateMode.Disabled), "db.test");

        Assert.True(connection.Ok.Report.ClientCertificateRequested);
        Assert.False(connection.Ok.Report.ClientCertificateSent);
        Assert.Equal("x", await connection.RoundTripAsync("x"));
        Assert.Null(server.ClientCertificate);
    }

    [Fact]
    public async Task Allowed_mode_sends_nothing_when_not_asked()
    {
        await using var server = Server();
        await using var connection = await Connection.OpenAsync(server.EndPoint, Policy(EncryptedPkcs8(_alice)), "db.test");

        Assert.False(connection.Ok.Report.ClientCertificateRequested);
        Assert.False(connection.Ok.Report.ClientCertificateSent);
    }

    private async Task<OpenSslServer> OpenSslServerAsync(string protocol, int depth)
    {
        using var leaf = _pki.DbLeaf();
        var cert = _pki.Write(Name("server.pem"), leaf.CertificatePem);
        var key = _pki.Write(Name("server.key"), leaf.PrivateKeyPem);
        var clientCa = _pki.Write(Name("client-root.pem"), _clientRoot.CertificatePem);
        return await OpenSslServer.StartAsync("-cert", cert, "-key", key, "-cert_chain", _pki.IntermediateFile, "-CAfile", clientCa, "-Verify", depth.ToString(System.Globalization.CultureInfo.InvariantCulture), "-verify_return_error", protocol);
    }

    [Fact]
    public async Task Required_by_openssl_and_missing_under_tls12_fails_in_the_handshake()
    {
        await using var server = await OpenSslServerAsync("-tls1_2", 1);
        await using var connection = await Connection.OpenAsync(server.EndPoint, Policy(null), "db.test");

        Assert.Equal(FindingCodes.ClientCertMissing, connection.Failed.Code);
        Assert.Equal("the server requires a client certificate and none was sent: alert handshake failure (40)", connection.Failed.Message);
        Assert.True(connection.Report.ClientCertificateRequested);
        Assert.False(connection.Report.ClientCertificateSent);
        // SslStream validates only after the handshake, so the chain never reached the validator; the
        // server certificate is still shown, seen when the server asked for a client certificate.
        Assert.Equal("CN=db.test, O=dbtls tests", Assert.Single(connection.Report.Certificates).Subject);
        Assert.Equal("passed", connection.Step("certificate"));
        Assert.Equal("skipped", connection.Step("chain"));
    }

    [Fact]
    public async Task Required_by_openssl_and_missing_under_tls13_fails_on_the_first_read()
    {
        await using var server = await OpenSslServerAsync("-tls1_3", 1);
        await using var connection = await Connection.OpenAsync(server.EndPoint, Policy(null), "db.test");

        // TLS 1.3: the client's side of the handshake completes before the server judges the (empty) certificate.
        var session = connection.Ok;
        Assert.True(session.Report.ClientCertificateRequested);
        Assert.False(session.Report.ClientCertificateSent);
        var error = await Assert.ThrowsAsync<TlsHandshakeException>(() => connection.RoundTripAsync("hello"));
        Assert.Equal(FindingCodes.ClientCertMissing, error.Code);
        Assert.Equal("the server requires a client certificate and none was sent: alert certificate required (116)", error.Message);
        Assert.Same(session.Facts, error.Facts);
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task Certificate_from_a_ca_the_server_does_not_trust_is_rejected(string protocol)
    {
        await using var server = await OpenSslServerAsync(protocol, 1);
        using var stranger = CertFactory.CreateLeaf(_pki.OtherRoot, new CertSpec { CommonName = "mallory", ExtendedKeyUsages = [CertFactory.ClientAuth] });
        var source = new ClientCertificateSource(_pki.Write(Name("cert.pem"), stranger.CertificatePem), _pki.Write(Name("key.pem"), stranger.PrivateKeyPem), null);
        await using var connection = await Connection.OpenAsync(server.EndPoint, Policy(source), "db.test");

        var error = connection.Error ?? await Assert.ThrowsAsync<TlsHandshakeException>(() => connection.RoundTripAsync("hello"));
        Assert.Equal(FindingCodes.ClientCertMissing, error.Code);
        Assert.Equal("the server rejected our client certificate: alert unknown ca (48)", error.Message);
        Assert.True(error.Report.ClientCertificateSent);
    }

    [Fact]
    public async Task Chain_from_the_certificate_file_is_sent()
    {
        // The server trusts only the client root, so the intermediate must come from the client.
        await using var server = await OpenSslServerAsync("-tls1_3", 2);
        using var carol = CertFactory.CreateLeaf(_clientIntermediate, new CertSpec { CommonName = "carol", ExtendedKeyUsages = [CertFactory.ClientAuth] });
        var source = new ClientCertificateSource(
            _pki.Write(Name("chain.pem"), carol.CertificatePem + _clientIntermediate.CertificatePem),
            _pki.Write(Name("key.pem"), carol.PrivateKeyPem),
            null);
        await using var connection = await Connection.OpenAsync(server.EndPoint, Policy(source), "db.test");

        Assert.Equal("olleh", await connection.RoundTripAsync("hello"));
        Assert.True(connection.Report.ClientCertificateRequested);
        Assert.True(connection.Report.ClientCertificateSent);
    }
}

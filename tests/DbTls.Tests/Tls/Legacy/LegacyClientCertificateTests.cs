using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Tls.Legacy;

/// <summary>
/// Client certificates on the legacy (BouncyCastle) path against real OpenSSL servers that demand one
/// (s_server -Verify -verify_return_error): sent on request under TLS 1.0, and under TLS 1.2/1.3 where the
/// signature algorithm comes from the server's list; a missing one is reported as OpenSSL's refusal.
/// </summary>
[Trait("Category", "Integration")]
[Collection("tls")]
public sealed class LegacyClientCertificateTests : IDisposable
{
    private readonly TlsPki _pki;
    private readonly IssuedCert _clientRoot;
    private readonly IssuedCert _alice;

    public LegacyClientCertificateTests(TlsPki pki)
    {
        _pki = pki;
        _clientRoot = CertFactory.CreateRoot("dbtls Legacy Client Root CA");
        _alice = CertFactory.CreateLeaf(_clientRoot, new CertSpec { CommonName = "alice", ExtendedKeyUsages = [CertFactory.ClientAuth] });
    }

    public void Dispose()
    {
        _alice.Dispose();
        _clientRoot.Dispose();
    }

    [Theory]
    [InlineData(LegacyServers.Tls10, "TLSv1")]
    [InlineData(LegacyServers.Tls11, "TLSv1.1")]
    [InlineData("-tls1_2", "TLSv1.2")]
    [InlineData("-tls1_3", "TLSv1.3")]
    public async Task Sent_on_request_and_accepted(string serverVersion, string expected)
    {
        await using var server = await StartAsync(serverVersion);
        await using var connection = await Connection.OpenAsync(server.EndPoint, Policy(Alice()), "db.test");

        Assert.Equal(expected, connection.Ok.Report.Protocol);
        Assert.True(connection.Ok.Report.ClientCertificateRequested);
        Assert.True(connection.Ok.Report.ClientCertificateSent);
        // -verify_return_error: the server ends the connection instead of answering if it did not accept the certificate.
        Assert.Equal("olleh", await connection.RoundTripAsync("hello"));
    }

    [Fact]
    public async Task Missing_under_tls10_is_refused_in_the_handshake()
    {
        await using var server = await StartAsync(LegacyServers.Tls10);
        await using var connection = await Connection.OpenAsync(server.EndPoint, Policy(null), "db.test");

        Assert.Equal(FindingCodes.ClientCertMissing, connection.Failed.Code);
        Assert.Equal("the server requires a client certificate and none was sent: alert handshake failure (40)", connection.Failed.Message);
        Assert.True(connection.Report.ClientCertificateRequested);
        Assert.False(connection.Report.ClientCertificateSent);
        // BouncyCastle hands over the chain as soon as it arrives, so the whole validation ran and passed.
        Assert.Equal("passed", connection.Step("chain"));
        Assert.Equal("passed", connection.Step("hostname"));
    }

    [Fact]
    public async Task Required_mode_fails_when_the_server_does_not_ask()
    {
        await using var server = await LegacyServers.StartAsync(_pki, LegacyServers.Tls10);
        await using var connection = await Connection.OpenAsync(server.EndPoint, Policy(Alice(), ClientCertificateMode.Required), "db.test");

        Assert.Equal(FindingCodes.ClientCertNotRequested, connection.Failed.Code);
        Assert.False(connection.Report.ClientCertificateRequested);
    }

    private TlsPolicy Policy(ClientCertificateSource? source, ClientCertificateMode mode = ClientCertificateMode.Allowed) =>
        _pki.RootPolicy() with { MinProtocol = TlsProtocolVersion.Tls10, ClientCertificate = source, ClientCertificateMode = mode };

    private ClientCertificateSource Alice()
    {
        var name = Guid.NewGuid().ToString("N");
        var cert = _pki.Write($"legacy/{name}-alice.crt", _alice.CertificatePem);
        var key = CertFactory.WritePem(Path.Combine(_pki.Directory, "legacy", $"{name}-alice.key"), _alice.PrivateKeyPem, secret: true);
        return new ClientCertificateSource(cert, key, null);
    }

    private Task<OpenSslServer> StartAsync(string serverVersion)
    {
        var clientCa = _pki.Write($"legacy/{Guid.NewGuid():N}-client-root.pem", _clientRoot.CertificatePem);
        return LegacyServers.StartAsync(_pki, serverVersion, "-CAfile", clientCa, "-Verify", "1", "-verify_return_error");
    }
}

using System.Text;
using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Tests.Servers.Mongo;
using DbTls.Wire.Mongo;

namespace DbTls.Tests.Wire.Mongo;

/// <summary>
/// dbtls's own MongoDB client (URI dialect → TLS policy → TlsClient → OP_MSG handshake → SCRAM) against the
/// test server that MongoDB.Driver has shown to be faithful (<see cref="MongoDriverFidelityTests"/>).
/// </summary>
[Trait("Category", "Integration")]
public sealed class MongoClientAgainstTestServerTests : IClassFixture<MongoTestCertificates>
{
    private const string Password = "s3cret-Both";
    private static readonly MongoTestUser Alice = new("alice", "admin", Password, ScramMechanism.Sha1, ScramMechanism.Sha256);
    private static readonly MongoTestUser Legacy = new("legacy", "admin", "old-pass", ScramMechanism.Sha1);

    private readonly MongoTestCertificates _certs;

    public MongoClientAgainstTestServerTests(MongoTestCertificates certs) => _certs = certs;

    private MongoTestServer Start(MongoHostileMode hostile = MongoHostileMode.None, bool tls = true, bool speculative = true) =>
        MongoTestServer.Start(new MongoTestServerOptions
        {
            Certificate = tls ? _certs.Server.Certificate : null,
            Users = [Alice, Legacy],
            Hostile = hostile,
            SupportsSpeculativeAuthentication = speculative,
        });

    private string Uri(MongoTestServer server, string userInfo = "alice:" + Password + "@", string options = "") =>
        $"mongodb://{userInfo}localhost:{server.Port}/?tls=true&tlsCAFile={System.Uri.EscapeDataString(_certs.CaFile)}{options}";

    /// <summary>Everything dbtls does for a MongoDB URI, up to and including the server's view of the session.</summary>
    private static async Task<(MongoSessionInfo Info, MongoConnectionStatus Status, MongoWireConnection Connection)> ConnectAsync(string uri, CancellationToken cancellationToken)
    {
        var spec = MongoConnectionString.Parse(uri);
        var connection = await MongoConnector.ConnectAsync(spec, spec.Hosts[0], cancellationToken);
        Assert.Equal(spec.TlsSettings.Enabled, connection.Tls is not null);
        await MongoCommands.PingAsync(connection.Wire, cancellationToken);
        var status = await MongoCommands.ConnectionStatusAsync(connection.Wire, cancellationToken);
        return (connection.Session, status, connection.Wire);
    }

    private static CancellationToken Timeout(int seconds = 15) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    [Fact]
    public async Task Negotiated_scram_sha_256_is_done_speculatively_over_tls()
    {
        await using var server = Start();
        var (info, status, connection) = await ConnectAsync(Uri(server, options: "&appname=e2e"), Timeout());
        await using (connection)
        {
            Assert.True(info.Hello.IsWritablePrimary);
            Assert.Equal(21, info.Hello.MaxWireVersion);
            Assert.Equal(["SCRAM-SHA-1", "SCRAM-SHA-256"], info.Hello.SaslSupportedMechs!.Value.Order().ToArray());
            var auth = info.Auth!;
            Assert.Equal(ScramMechanism.Sha256, auth.Mechanism);
            Assert.True(auth.Speculative);
            Assert.True(auth.ServerVerified);
            Assert.Equal(1, auth.RoundTrips);
            Assert.Equal(15_000, auth.Iterations);
            Assert.Equal([("alice", "admin")], status.AuthenticatedUsers.ToArray());
            Assert.Equal(["isMaster", "saslContinue", "ping", "connectionStatus"], connection.Exchanges.Select(e => e.CommandName));
        }

        var record = Assert.Single(server.Connections);
        Assert.NotNull(record.TlsProtocol);
        Assert.Equal(["OP_MSG isMaster", "OP_MSG saslContinue", "OP_MSG ping", "OP_MSG connectionStatus"], record.Commands);
        Assert.Empty(record.UnknownCommands);
        var hello = Assert.Single(record.HelloCommands.Items);
        Assert.Equal("dbtls", hello["client"]["driver"]["name"].AsString);
        Assert.Equal("e2e", hello["client"]["application"]["name"].AsString);
        Assert.Equal("admin", hello["$db"].AsString);
        Assert.DoesNotContain(Password, Encoding.UTF8.GetString(record.Received), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explicit_scram_sha_1_and_non_speculative_servers_use_sasl_start()
    {
        await using var server = Start(speculative: false);
        var (info, status, connection) = await ConnectAsync(Uri(server, options: "&authMechanism=SCRAM-SHA-1"), Timeout());
        await using (connection)
        {
            Assert.Equal(ScramMechanism.Sha1, info.Auth!.Mechanism);
            Assert.False(info.Auth.Speculative);
            Assert.Equal(2, info.Auth.RoundTrips);
            Assert.Equal(10_000, info.Auth.Iterations);
            Assert.Single(status.AuthenticatedUsers);
        }

        Assert.Contains("OP_MSG saslStart", Assert.Single(server.Connections).Commands);
    }

    [Fact]
    public async Task A_sha1_only_user_is_negotiated_down_to_scram_sha_1()
    {
        await using var server = Start();
        var (info, status, connection) = await ConnectAsync(Uri(server, userInfo: "legacy:old-pass@"), Timeout());
        await using (connection)
        {
            Assert.Equal(["SCRAM-SHA-1"], info.Hello.SaslSupportedMechs!.Value.ToArray());
            Assert.Equal(ScramMechanism.Sha1, info.Auth!.Mechanism);
            Assert.False(info.Auth.Speculative); // the SHA-256 speculation was not taken
            Assert.Equal([("legacy", "admin")], status.AuthenticatedUsers.ToArray());
        }
    }

    [Theory]
    [InlineData("alice:WrongPassword1@", "")]
    [InlineData("alice:WrongPassword1@", "&authMechanism=SCRAM-SHA-1")]
    [InlineData("nobody:WrongPassword1@", "")]
    public async Task Wrong_credentials_are_auth_failed_without_the_password_in_the_message(string userInfo, string options)
    {
        await using var server = Start();
        var ex = await Assert.ThrowsAsync<DbTlsException>(() => ConnectAsync(Uri(server, userInfo, options), Timeout()));
        Assert.Equal(FindingCodes.AuthFailed, ex.Code);
        Assert.DoesNotContain("WrongPassword1", ex.ToString(), StringComparison.Ordinal);
        Assert.Empty(Assert.Single(server.Connections).AuthenticatedUsers);
    }

    [Theory]
    [InlineData(MongoHostileMode.BadServerSignature, FindingCodes.AuthServerSignatureInvalid)]
    [InlineData(MongoHostileMode.SkipServerSignature, FindingCodes.AuthServerSignatureInvalid)]
    [InlineData(MongoHostileMode.LowIterationCount, FindingCodes.AuthFailed)]
    [InlineData(MongoHostileMode.CloseMidHandshake, FindingCodes.ServerClosed)]
    [InlineData(MongoHostileMode.TruncatedReply, FindingCodes.ServerClosed)]
    [InlineData(MongoHostileMode.OversizedReply, FindingCodes.ServerMessageTooLarge)]
    [InlineData(MongoHostileMode.LyingBsonLength, FindingCodes.ServerProtocolViolation)]
    [InlineData(MongoHostileMode.Garbage, FindingCodes.ServerMessageTooLarge)]
    public async Task Hostile_servers_give_a_stable_finding(MongoHostileMode mode, string code)
    {
        await using var server = Start(mode);
        var ex = await Assert.ThrowsAsync<DbTlsException>(() => ConnectAsync(Uri(server, userInfo: "alice:AnyPassword9@"), Timeout()));
        Assert.Equal(code, ex.Code);
        Assert.DoesNotContain("AnyPassword9", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_server_is_ended_by_the_callers_deadline()
    {
        await using var server = Start(MongoHostileMode.Silent);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ConnectAsync(Uri(server), Timeout(2)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_server_that_closes_on_accept_fails_the_tls_handshake()
    {
        await using var server = Start(MongoHostileMode.CloseOnAccept);
        var ex = await Assert.ThrowsAnyAsync<DbTlsException>(() => ConnectAsync(Uri(server), Timeout()));
        Assert.Equal(FindingCodes.TlsHandshakeFailed, ex.Code);
    }

    [Fact]
    public async Task With_tls_required_no_credential_byte_reaches_a_plaintext_server()
    {
        await using var server = Start(tls: false);
        var ex = await Assert.ThrowsAnyAsync<DbTlsException>(() => ConnectAsync(Uri(server), Timeout()));
        Assert.Equal(FindingCodes.TlsHandshakeFailed, ex.Code);
        var received = (await server.SettleAsync()).SelectMany(c => c.Received).ToArray();

        // The server saw only a TLS ClientHello (record type 0x16), never a MongoDB message.
        Assert.True(received.Length == 0 || received[0] == 0x16, $"first byte 0x{(received.Length > 0 ? received[0] : 0):X2}");
        Assert.DoesNotContain("alice", Encoding.Latin1.GetString(received), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, Encoding.Latin1.GetString(received), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_off_works_in_plaintext_and_the_spec_says_so()
    {
        await using var server = Start(tls: false);
        var uri = $"mongodb://alice:{Password}@localhost:{server.Port}/?directConnection=true";
        Assert.Contains(MongoConnectionString.Parse(uri).Findings, f => f.Code == FindingCodes.TlsNotUsed);
        var (info, _, connection) = await ConnectAsync(uri, Timeout());
        await using (connection)
        {
            Assert.True(info.Auth!.ServerVerified);
        }
    }

    [Fact]
    public async Task Wrong_ca_is_refused_before_any_mongodb_byte()
    {
        await using var server = Start();
        using var otherRoot = Infrastructure.CertFactory.CreateRoot("Some Other Root");
        var otherCa = Path.Combine(_certs.Directory.FullName, "other-ca.pem");
        await File.WriteAllTextAsync(otherCa, otherRoot.CertificatePem);
        var uri = $"mongodb://alice:{Password}@localhost:{server.Port}/?tls=true&tlsCAFile={System.Uri.EscapeDataString(otherCa)}";
        var ex = await Assert.ThrowsAnyAsync<DbTlsException>(() => ConnectAsync(uri, Timeout()));
        Assert.Equal(FindingCodes.CertUntrusted, ex.Code);
        Assert.All(await server.SettleAsync(), c => Assert.Empty(c.Received));

        // tlsInsecure=true accepts the same server.
        var (info, _, connection) = await ConnectAsync($"mongodb://alice:{Password}@localhost:{server.Port}/?tls=true&tlsInsecure=true", Timeout());
        await using (connection)
        {
            Assert.True(info.Auth!.ServerVerified);
        }
    }
    [Fact]
    public async Task A_closed_port_is_net_unreachable()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var spec = MongoConnectionString.Parse($"mongodb://127.0.0.1:{port}/?tls=true");
        Assert.Equal(FindingCodes.NetUnreachable, (await Assert.ThrowsAsync<DbTlsException>(() => MongoConnector.ConnectAsync(spec, spec.Hosts[0], Timeout()))).Code);
    }

    [Theory]
    [InlineData("mongodb://CN%3Dclient@127.0.0.1:1/?tls=true&authMechanism=MONGODB-X509", FindingCodes.AuthMechanismUnsupported)]
    [InlineData("mongodb://alice@127.0.0.1:1/?tls=true", FindingCodes.AuthSkipped)]
    public async Task Credentials_dbtls_cannot_use_are_reported_before_connecting(string uri, string code)
    {
        var spec = MongoConnectionString.Parse(uri);
        Assert.Equal(code, (await Assert.ThrowsAsync<DbTlsException>(() => MongoConnector.ConnectAsync(spec, spec.Hosts[0], Timeout()))).Code);
    }
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tls_certificate_key_file_presents_the_client_certificate(bool encrypted)
    {
        await using var server = MongoTestServer.Start(new MongoTestServerOptions
        {
            Certificate = _certs.Server.Certificate,
            RequireClientCertificate = true,
            ClientCertificateValidator = c => c.Issuer == _certs.Root.Certificate.Subject,
            Users = [Alice],
        });

        // PyMongo's tlsCertificateKeyFile: one PEM file holding the certificate and its key.
        const string keyPassword = "Key-Pass-41";
        var key = encrypted
            ? _certs.Client.Key.ExportEncryptedPkcs8PrivateKeyPem(keyPassword, new System.Security.Cryptography.PbeParameters(System.Security.Cryptography.PbeEncryptionAlgorithm.Aes256Cbc, System.Security.Cryptography.HashAlgorithmName.SHA256, 10_000)) + "\n"
            : _certs.Client.PrivateKeyPem;
        var file = Path.Combine(_certs.Directory.FullName, encrypted ? "client-encrypted.pem" : "client.pem");
        await File.WriteAllTextAsync(file, _certs.Client.CertificatePem + key);
        var options = $"&tlsCertificateKeyFile={System.Uri.EscapeDataString(file)}" + (encrypted ? $"&tlsCertificateKeyFilePassword={keyPassword}" : "");
        var (info, _, connection) = await ConnectAsync(Uri(server, options: options), Timeout());
        await using (connection)
        {
            Assert.True(info.Auth!.ServerVerified);
        }

        Assert.Contains("dbtls-client", Assert.Single(server.Connections).ClientCertificate!.Subject, StringComparison.Ordinal);

        // Without the option the server ends the handshake; the finding names the missing client certificate.
        var ex = await Assert.ThrowsAnyAsync<DbTlsException>(() => ConnectAsync(Uri(server), Timeout()));
        Assert.Equal(FindingCodes.ClientCertMissing, ex.Code);
    }
}

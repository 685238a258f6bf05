using System.Security.Authentication;
using DbTls.Wire.Mongo;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DbTls.Tests.Servers.Mongo;

/// <summary>
/// The real MongoDB.Driver against <see cref="MongoTestServer"/>: if the official driver connects over TLS,
/// negotiates, authenticates with both SCRAM mechanisms and runs commands, the test server speaks the
/// protocol as MongoDB does, and tests of dbtls's own client against it mean something.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MongoDriverFidelityTests : IClassFixture<MongoTestCertificates>
{
    private static readonly MongoTestUser Both = new("alice", "admin", "s3cret-Both", ScramMechanism.Sha1, ScramMechanism.Sha256);
    private static readonly MongoTestUser Sha1Only = new("legacy", "admin", "old-pass", ScramMechanism.Sha1);
    private static readonly MongoTestUser Sha256Only = new("modern", "app", "new-pass", ScramMechanism.Sha256);

    private readonly MongoTestCertificates _certs;

    public MongoDriverFidelityTests(MongoTestCertificates certs) => _certs = certs;

    private MongoTestServer StartTlsServer(bool requireClientCertificate = false, SslProtocols protocols = SslProtocols.None) =>
        MongoTestServer.Start(new MongoTestServerOptions
        {
            Certificate = _certs.Server.Certificate,
            RequireClientCertificate = requireClientCertificate,
            ClientCertificateValidator = requireClientCertificate ? c => c.Issuer == _certs.Root.Certificate.Subject : null,
            Protocols = protocols,
            Users = [Both, Sha1Only, Sha256Only],
        });

    private MongoClient Client(string uri, bool trustByCallback = true, bool clientCertificate = false)
    {
        var settings = MongoClientSettings.FromConnectionString(uri);
        if (trustByCallback || clientCertificate)
        {
            settings.SslSettings = new SslSettings
            {
                ServerCertificateValidationCallback = trustByCallback ? (_, certificate, _, errors) => _certs.ValidateServer(certificate, errors) : null,
                ClientCertificates = clientCertificate ? [_certs.Client.Certificate] : null,
                CheckCertificateRevocation = false,
            };
        }

        return new MongoClient(settings);
    }

    private static string Uri(int port, string userInfo, string options) =>
        $"mongodb://{userInfo}localhost:{port}/?directConnection=true&serverSelectionTimeoutMS=5000&connectTimeoutMS=5000&{options}";

    [Theory]
    [InlineData("alice:s3cret-Both@", "tls=true&authMechanism=SCRAM-SHA-256", "alice@admin")]
    [InlineData("alice:s3cret-Both@", "tls=true&authMechanism=SCRAM-SHA-1", "alice@admin")]
    [InlineData("alice:s3cret-Both@", "tls=true", "alice@admin")] // negotiated
    [InlineData("legacy:old-pass@", "tls=true", "legacy@admin")] // negotiation falls back to SHA-1
    [InlineData("modern:new-pass@", "tls=true&authSource=app", "modern@app")]
    public async Task Driver_authenticates_over_tls_and_runs_commands(string userInfo, string options, string expectedUser)
    {
        await using var server = StartTlsServer();
        using (var client = Client(Uri(server.Port, userInfo, options)))
        {
            var admin = client.GetDatabase("admin");
            var ping = await admin.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));
            Assert.Equal(1.0, ping["ok"].ToDouble());
            var status = await admin.RunCommandAsync<BsonDocument>(new BsonDocument("connectionStatus", 1));
            var user = Assert.Single(status["authInfo"]["authenticatedUsers"].AsBsonArray).AsBsonDocument;
            Assert.Equal(expectedUser, $"{user["user"].AsString}@{user["db"].AsString}");
        }

        Assert.All(server.Connections, c => Assert.Empty(c.UnknownCommands));
        Assert.All(server.Connections, c => Assert.Null(c.Error));
        Assert.All(server.Connections.Where(c => c.Received.Length > 0), c => Assert.NotNull(c.TlsProtocol));
        Assert.Contains(server.Connections, c => c.AuthenticatedUsers.Contains(expectedUser));
        var commands = server.Connections.SelectMany(c => c.Commands).ToList();
        Assert.Contains("OP_MSG ping", commands);
        Assert.Contains("OP_MSG connectionStatus", commands);

        // MongoDB.Driver opens with a legacy isMaster over OP_QUERY and, because the connection has no
        // description yet while it authenticates, runs saslStart/saslContinue over OP_QUERY too (mongod
        // still allows exactly these); everything after the handshake is OP_MSG.
        Assert.StartsWith("OP_QUERY isMaster", commands[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Driver_sends_client_metadata_and_speculative_authentication_in_its_handshake()
    {
        await using var server = StartTlsServer();
        using (var client = Client(Uri(server.Port, "alice:s3cret-Both@", "tls=true&appname=fidelity")))
        {
            await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));
        }

        var hellos = server.Connections.SelectMany(c => c.HelloCommands.Items).ToList();
        var authHello = Assert.Single(hellos, h => h.Contains("speculativeAuthenticate"));
        Assert.Equal("admin.alice", authHello["saslSupportedMechs"].AsString);
        Assert.Equal("SCRAM-SHA-256", authHello["speculativeAuthenticate"]["mechanism"].AsString);
        Assert.Equal("fidelity", authHello["client"]["application"]["name"].AsString);
        Assert.False(string.IsNullOrEmpty(authHello["client"]["driver"]["name"].AsString));

        // The speculative exchange was taken: the app connection needed one saslContinue and no saslStart.
        var authConnection = server.Connections.Single(c => c.AuthenticatedUsers.Count > 0);
        Assert.DoesNotContain(authConnection.Commands, c => c.EndsWith(" saslStart", StringComparison.Ordinal));
        Assert.Single(authConnection.Commands, c => c.EndsWith(" saslContinue", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Driver_with_tls_insecure_connects_without_trusting_the_ca()
    {
        await using var server = StartTlsServer();
        using var client = Client(Uri(server.Port, "alice:s3cret-Both@", "tls=true&tlsInsecure=true"), trustByCallback: false);
        var ping = await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));
        Assert.Equal(1.0, ping["ok"].ToDouble());
    }

    [Fact]
    public async Task Driver_without_trust_refuses_the_test_certificate()
    {
        await using var server = StartTlsServer();
        using var client = Client(Uri(server.Port, "alice:s3cret-Both@", "tls=true&serverSelectionTimeoutMS=1500"), trustByCallback: false);
        var ex = await Assert.ThrowsAsync<TimeoutException>(() => client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1)));
        Assert.Contains("Authentication", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.All(server.Connections, c => Assert.Empty(c.Received));
    }

    [Theory]
    [InlineData("alice:wrong@", "tls=true&authMechanism=SCRAM-SHA-256")]
    [InlineData("alice:wrong@", "tls=true&authMechanism=SCRAM-SHA-1")]
    [InlineData("nobody:x@", "tls=true")]
    [InlineData("legacy:old-pass@", "tls=true&authMechanism=SCRAM-SHA-256")] // user has no SHA-256 credentials
    public async Task Driver_login_with_wrong_credentials_fails(string userInfo, string options)
    {
        await using var server = StartTlsServer();
        using var client = Client(Uri(server.Port, userInfo, options));
        var ex = await Assert.ThrowsAnyAsync<MongoException>(() => client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1)));
        Assert.IsType<MongoAuthenticationException>(ex);
        Assert.All(server.Connections, c => Assert.Empty(c.AuthenticatedUsers));
    }

    [Fact]
    public async Task Driver_without_tls_against_a_tls_only_server_fails_fast()
    {
        await using var server = StartTlsServer();
        using var client = Client(Uri(server.Port, "alice:s3cret-Both@", "tls=false&serverSelectionTimeoutMS=1500"), trustByCallback: false);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAsync<TimeoutException>(() => client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Contains(server.Connections, c => c.TlsFailure is not null);
        Assert.All(server.Connections, c => Assert.Empty(c.AuthenticatedUsers));
    }

    [Fact]
    public async Task Driver_presents_a_client_certificate_when_the_server_requires_one()
    {
        await using var server = StartTlsServer(requireClientCertificate: true);
        using (var client = Client(Uri(server.Port, "alice:s3cret-Both@", "tls=true"), clientCertificate: true))
        {
            await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));
        }

        Assert.Contains(server.Connections, c => c.ClientCertificate?.Subject.Contains("dbtls-client", StringComparison.Ordinal) == true);

        // Without one, the server ends the handshake and the driver cannot select it.
        using var without = Client(Uri(server.Port, "alice:s3cret-Both@", "tls=true&serverSelectionTimeoutMS=1500"));
        await Assert.ThrowsAsync<TimeoutException>(() => without.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1)));
    }

    [Fact]
    public async Task Driver_works_against_the_plaintext_server_too()
    {
        await using var server = MongoTestServer.Start(new MongoTestServerOptions { Users = [Both] });
        using (var client = Client(Uri(server.Port, "alice:s3cret-Both@", "tls=false"), trustByCallback: false))
        {
            await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));
        }

        Assert.All(server.Connections, c => Assert.Null(c.TlsProtocol));
        Assert.Contains(server.Connections, c => c.AuthenticatedUsers.Contains("alice@admin"));
    }
    [Fact]
    public async Task Driver_with_a_stable_api_version_handshakes_with_op_msg_hello()
    {
        await using var server = StartTlsServer();
        var settings = MongoClientSettings.FromConnectionString(Uri(server.Port, "alice:s3cret-Both@", "tls=true"));
        settings.SslSettings = new SslSettings { ServerCertificateValidationCallback = (_, certificate, _, errors) => _certs.ValidateServer(certificate, errors) };
        settings.ServerApi = new ServerApi(ServerApiVersion.V1);
        using (var client = new MongoClient(settings))
        {
            await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));
        }

        var commands = server.Connections.SelectMany(c => c.Commands).ToList();
        Assert.DoesNotContain(commands, c => c.StartsWith("OP_QUERY", StringComparison.Ordinal));
        Assert.Contains("OP_MSG hello", commands);
        Assert.Contains(server.Connections, c => c.AuthenticatedUsers.Contains("alice@admin"));
        Assert.All(server.Connections, c => Assert.Empty(c.UnknownCommands));
    }

    [Fact]
    public async Task Server_tls_version_limits_apply_to_the_driver()
    {
        await using var server = StartTlsServer(protocols: SslProtocols.Tls12);
        using (var client = Client(Uri(server.Port, "alice:s3cret-Both@", "tls=true")))
        {
            await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));
        }

        Assert.All(server.Connections.Where(c => c.TlsProtocol is not null), c => Assert.Equal(nameof(SslProtocols.Tls12), c.TlsProtocol));
    }
}

using DbTls.Policy;
using DbTls.Scan;
using DbTls.Scan.Compatibility;
using DbTls.Scan.Probe;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Oracles.PyMongo;
using DbTls.Tests.Servers.Tds;
using DbTls.Tests.Tls.Legacy;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Scan;

/// <summary>
/// "Who can still connect" for PyMongo: its offer is what PyMongo sends, and against OpenSSL servers configured narrowly
/// the prediction equals whether PyMongo's TLS handshake completes.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClientCompatibilityPyMongoTests(LocalhostCertificateFixture certificate) : IClassFixture<LocalhostCertificateFixture>
{
    [Fact]
    public async Task The_PyMongo_offer_is_what_PyMongo_sends()
    {
        var hello = await ClientHelloCapture.CaptureAsync(answerSslRequest: false, port => PyMongoOracle.RunAsync(Uri(port), []));

        Assert.True(ClientTlsDefaults.PyMongo.Suites.SequenceEqual(hello.Suites.Where(s => s != 0x00FF)), hello.ToString());
        Assert.True(ClientTlsDefaults.PyMongo.Groups.SequenceEqual(hello.Groups), hello.ToString());
        // TLS 1.1 and 1.0 are offered, but the handshake they need is refused by OpenSSL itself (the TLS 1.0 row below).
        Assert.Equal([TlsVersions.Tls13, TlsVersions.Tls12, TlsVersions.Tls11, TlsVersions.Tls10], hello.Versions);
        Assert.Equal([TlsVersions.Tls13, TlsVersions.Tls12], ClientTlsDefaults.PyMongo.Versions);
    }

    public static TheoryData<string, string[], bool> NarrowServers => new()
    {
        { "TLS 1.0 only", ["-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0", "-min_protocol", "TLSv1", "-max_protocol", "TLSv1"], false },
        { "TLS 1.2 with Camellia only", ["-cipher", "CAMELLIA256-SHA", "-max_protocol", "TLSv1.2"], false },
        { "TLS 1.2 with one ECDHE CBC suite", ["-cipher", "ECDHE-RSA-AES128-SHA", "-max_protocol", "TLSv1.2"], true },
        { "TLS 1.3 with ChaCha20 only", ["-min_protocol", "TLSv1.3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256"], true },
    };

    [Theory]
    [MemberData(nameof(NarrowServers))]
    public async Task The_prediction_equals_whether_PyMongo_completes_the_handshake(string name, string[] arguments, bool expected)
    {
        await using var server = await ScanOpenSslServer.StartAsync(certificate.Leaf, arguments);

        var report = await TlsScanner.ScanAsync("127.0.0.1", server.EndPoint.Port, new ScanOptions { Protocol = ScanProtocol.Tls }, CancellationToken.None);
        var pymongo = await PyMongoOracle.RunAsync(Uri(server.EndPoint.Port), []);

        var predicted = Assert.Single(report.Clients, c => c.Client == ClientTlsDefaults.PyMongo.Client);
        // The server is not MongoDB, so PyMongo never gets to "OK": what counts is whether its TLS handshake completed.
        var handshakeCompleted = !pymongo.Detail.Contains("SSL handshake failed", StringComparison.Ordinal);
        Assert.True(expected == predicted.Connects, $"{name}: predicted {predicted.Connects} ({predicted.Reason})");
        Assert.True(expected == handshakeCompleted, $"{name}: PyMongo {pymongo}");
    }

    private static string Uri(int port) => $"mongodb://127.0.0.1:{port}/?tls=true&tlsAllowInvalidCertificates=true&serverSelectionTimeoutMS=2000&connectTimeoutMS=2000";
}

/// <summary>
/// "Who can still connect" for FreeTDS: its offer is what tsql sends inside PRELOGIN, and against the TDS test server
/// that speaks only TLS 1.0 the prediction (FreeTDS connects with the suite the server then picks; .NET does not) is
/// what tsql and the server record.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClientCompatibilityTsqlTests(TdsTestCertificates certs) : IClassFixture<TdsTestCertificates>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dbtls-compat-tsql-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_FreeTDS_offer_is_what_tsql_sends()
    {
        var hello = await ClientHelloCapture.CaptureTdsAsync(port =>
        {
            var conf = Path.Combine(_dir, "capture.conf");
            File.WriteAllText(conf, $"[capture]\n  host = 127.0.0.1\n  port = {port}\n  tds version = 7.4\n");
            return Tsql.RunAsync("capture", "x", "x", conf, _dir);
        });

        Assert.True(ClientTlsDefaults.FreeTds.Suites.SequenceEqual(hello.Suites.Where(s => s != 0x00FF)), hello.ToString());
        Assert.True(ClientTlsDefaults.FreeTds.Groups.SequenceEqual(hello.Groups), hello.ToString());
        Assert.True(ClientTlsDefaults.FreeTds.Versions.SequenceEqual(hello.Versions), hello.ToString());
    }

    [Fact]
    public async Task Against_a_TLS_1_0_only_server_FreeTDS_is_predicted_to_connect_as_tsql_does_and_dotnet_not()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions { Encryption = PreLoginEncryption.On, LegacyWrappedTls = TlsProtocolVersion.Tls10 }));

        var report = await ScanLoopback.ScanAsync(server.Port, ScanProtocol.Tds);
        var scanned = server.Connections.Count;
        var conf = LegacyTdsClient.WriteFreeTdsConf(_dir, server, certs.RootPemPath, "", encryption: "request");
        var tsql = await Tsql.RunAsync("legacy", server.Options.User, server.Options.Password, conf, _dir);

        var freeTds = Assert.Single(report.Clients, c => c.Client == ClientTlsDefaults.FreeTds.Client);
        var dotnet = Assert.Single(report.Clients, c => c.Client == ClientTlsDefaults.DotNet.Client);
        Assert.True(freeTds.Connects, freeTds.Reason);
        Assert.False(dotnet.Connects);
        Assert.Equal("TLSv1.0", freeTds.Version);
        Assert.Equal("TRUE\tTSQL\tSQL", tsql.Row);
        var connection = (await server.WaitForConnectionsAsync(scanned + 1))[scanned];
        Assert.Equal("Tls", connection.TlsProtocol);
        Assert.Equal(freeTds.Suite, connection.TlsCipherSuite);
    }
}

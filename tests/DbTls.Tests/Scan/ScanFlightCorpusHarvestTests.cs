using System.Net;
using DbTls.Scan;
using DbTls.Scan.Probe;
using DbTls.Tests.Fuzz;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.Scan;

/// <summary>
/// Seeds for the scan-flight fuzz target: what real servers answer to the scan engine's raw ClientHellos
/// (PostgreSQL 18 behind an SSLRequest, openssl s_server for a HelloRetryRequest), recorded byte for byte. Each test
/// also proves that the parser reads the real server's answer as what it is.
/// </summary>
[Trait("Category", "FuzzCorpus")]
[Trait("Category", "Integration")]
[Collection(Postgres18Collection.Name)]
public sealed class ScanFlightCorpusHarvestTests(Postgres18Fixture pg, LocalhostCertificateFixture certificate) : IClassFixture<LocalhostCertificateFixture>
{
    [Fact]
    public async Task Postgres_answers_tls12_with_its_certificate_flight_tls13_with_a_server_hello_and_tls10_with_an_alert()
    {
        await pg.Server.RestoreDefaultsAsync();
        var target = new ScanTarget("127.0.0.1", pg.Server.Port, new IPEndPoint(IPAddress.Loopback, pg.Server.Port));
        var all = CipherSuite.ForVersion(TlsVersions.Tls12).Select(s => s.Id).ToArray();

        var tls12 = await RecordAsync(target, ScanProtocol.Postgres, new ClientHelloSpec { Version = TlsVersions.Tls12, Suites = all, WantCertificate = true });
        var tls13 = await RecordAsync(target, ScanProtocol.Postgres, new ClientHelloSpec { Version = TlsVersions.Tls13, Suites = [0x1301, 0x1302, 0x1303] });
        var tls10 = await RecordAsync(target, ScanProtocol.Postgres, new ClientHelloSpec { Version = TlsVersions.Tls10, Suites = [0xC014, 0x002F] });

        var flight = Parse(tls12, true);
        Assert.Equal(ProbeReplyKind.ServerHello, flight.Kind);
        Assert.Equal(TlsVersions.Tls12, flight.Version);
        Assert.NotEmpty(flight.Certificates);
        Assert.True(flight.SecureRenegotiation);
        var hello = Parse(tls13, false);
        Assert.Equal(TlsVersions.Tls13, hello.Version);
        Assert.NotNull(hello.Group);
        var alert = Parse(tls10, false);
        Assert.Equal(ProbeReplyKind.Alert, alert.Kind);
        Assert.Equal(70, alert.AlertDescription); // protocol_version: ssl_min_protocol_version is TLSv1.2 by default
        FuzzCorpus.Write("scan-flight", "pg18-tls12-certificate-flight", tls12);
        FuzzCorpus.Write("scan-flight", "pg18-tls13-server-hello", tls13);
        FuzzCorpus.Write("scan-flight", "pg18-tls10-alert", tls10);
    }

    [Fact]
    public async Task Openssl_asks_for_another_key_share_with_a_hello_retry_request()
    {
        await using var server = await ScanOpenSslServer.StartAsync(certificate.Leaf, "-groups", "X25519");
        var target = new ScanTarget("127.0.0.1", server.EndPoint.Port, server.EndPoint);
        var spec = new ClientHelloSpec
        {
            Version = TlsVersions.Tls13,
            Suites = [0x1301],
            Groups = [NamedGroup.Secp256r1.Id, NamedGroup.X25519.Id],
            KeyShareGroups = [NamedGroup.Secp256r1.Id],
        };

        var retry = await RecordAsync(target, ScanProtocol.Tls, spec);

        var reply = Parse(retry, false);
        Assert.Equal(ProbeReplyKind.HelloRetryRequest, reply.Kind);
        Assert.Equal(NamedGroup.X25519.Id, reply.Group);
        FuzzCorpus.Write("scan-flight", "openssl-tls13-hello-retry-request", retry);
    }

    private static ProbeReply Parse(byte[] recorded, bool wantCertificate)
    {
        Assert.True(ServerFlightParser.TryParse(recorded, wantCertificate, out var reply));
        return reply;
    }

    /// <summary>The server's bytes after one ClientHello, through the protocol's way in, up to the point that decides them.</summary>
    private static async Task<byte[]> RecordAsync(ScanTarget target, ScanProtocol protocol, ClientHelloSpec spec)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var channel = await ScanEntry.OpenAsync(target, protocol, timeout.Token);
        await channel.Tls.WriteAsync(ClientHelloBuilder.Build(spec), timeout.Token);
        await channel.Tls.FlushAsync(timeout.Token);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        while (!ServerFlightParser.TryParse(received.GetBuffer().AsSpan(0, (int)received.Length), spec.WantCertificate, out _))
        {
            var read = await channel.Tls.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            received.Write(buffer, 0, read);
        }

        return received.ToArray();
    }
}

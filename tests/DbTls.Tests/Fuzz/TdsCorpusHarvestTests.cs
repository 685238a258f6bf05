using DbTls.Checks;
using DbTls.Dialects.Jdbc;
using DbTls.Dialects.SqlClient;
using DbTls.Policy;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Fuzz;

/// <summary>
/// Seeds for the TDS and TLS fuzz targets, recorded from the TDS test server while dbtls checks it:
/// the PRELOGIN answer, the TLS handshake inside PRELOGIN packets (TLS 1.2 from SslStream, TLS 1.0
/// from BouncyCastle), and the login and query answers that follow in clear under login-only
/// encryption. Each test also proves that dbtls' parsers accept the recorded bytes.
/// </summary>
[Trait("Category", "FuzzCorpus")]
public sealed class TdsCorpusHarvestTests(TdsTestCertificates certs) : IClassFixture<TdsTestCertificates>
{
    [Fact]
    public async Task Login_only_encryption_recording_splits_into_prelogin_tls_and_tokens()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions { Encryption = PreLoginEncryption.Off }));
        var recording = await RecordCheckAsync(server.Port, port => SqlClientConnectionString.Parse(
            $"Server=tcp:127.0.0.1,{port};User ID={server.Options.User};Password={server.Options.Password};Encrypt=Optional;TrustServerCertificate=true"));

        var (prelogin, handshake, rest) = Cut(recording);
        var answer = PreLoginMessage.Decode(Payload(prelogin[0]));
        Assert.Equal(PreLoginEncryption.Off, answer.Encryption);
        FuzzCorpus.Write("tds-prelogin", "tds-encrypt-off", [.. prelogin.SelectMany(p => p)]);

        Assert.NotEmpty(handshake);
        FuzzCorpus.Write("tds-tls-framing", "tds-sslstream-tls12", [.. handshake.SelectMany(p => p)]);
        FuzzCorpus.Write("tls-records", "tds-sslstream-tls12", [.. handshake.SelectMany(Payload)]);

        Assert.NotEmpty(rest);
        FuzzCorpus.Write("tds-packets", "tds-login-and-query", [.. rest.SelectMany(p => p)]);
        var loginResponse = TdsTokenParser.Parse(Payload(rest[0]));
        Assert.Contains(loginResponse, t => t is LoginAckToken);
        FuzzCorpus.Write("tds-tokens", "tds-login-response", Payload(rest[0]));
        for (var i = 1; i < rest.Count; i++)
        {
            Assert.NotEmpty(TdsTokenParser.Parse(Payload(rest[i])));
            FuzzCorpus.Write("tds-tokens", $"tds-query-response-{i}", Payload(rest[i]));
        }
    }

    [Fact]
    public async Task Tls10_handshake_recording_seeds_the_legacy_tls_target()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions { Encryption = PreLoginEncryption.On, LegacyWrappedTls = TlsProtocolVersion.Tls10 }));
        var recording = await RecordCheckAsync(server.Port, port =>
            JdbcConnectionString.Parse($"jdbc:sqlserver://localhost:{port};encrypt=true;trustServerCertificate=true;sslProtocol=TLSv1")
                with
            { User = server.Options.User, Password = new Secret(server.Options.Password) });

        var (_, handshake, _) = Cut(recording);
        var flight = handshake.SelectMany(Payload).ToArray();
        // A TLS 1.0 handshake record (content type 22, version 3.1) carrying ServerHello (type 2).
        Assert.Equal([0x16, 0x03, 0x01], flight[..3]);
        Assert.Equal(0x02, flight[5]);
        FuzzCorpus.Write("tls-legacy", "tds-bouncycastle-tls10", flight);
        FuzzCorpus.Write("tds-tls-framing", "tds-bouncycastle-tls10", [.. handshake.SelectMany(p => p)]);
    }

    private static async Task<byte[]> RecordCheckAsync(int serverPort, Func<int, DbTls.Dialects.Tds.TdsConnectionSpec> spec)
    {
        await using var proxy = new RecordingProxy(serverPort);
        _ = await TdsCheck.RunAsync(spec(proxy.Port), new CheckOptions { Timeout = TimeSpan.FromSeconds(20) }, CancellationToken.None);
        var recordings = await proxy.ServerBytesAsync();
        Assert.NotEmpty(recordings);
        return recordings[0];
    }

    /// <summary>The packets of the PRELOGIN answer, of the TLS handshake (type 0x12) and of everything after.</summary>
    private static (List<byte[]> PreLogin, List<byte[]> Handshake, List<byte[]> After) Cut(byte[] recording)
    {
        var packets = FuzzCorpus.Split(recording, FuzzCorpus.TdsLength);
        var preloginEnd = packets.FindIndex(p => (p[1] & 0x01) != 0) + 1;
        Assert.True(preloginEnd > 0, "the PRELOGIN answer never ended (no EOM packet)");
        var handshake = packets.Skip(preloginEnd).TakeWhile(p => p[0] == (byte)TdsPacketType.PreLogin).ToList();
        var rest = MessagesOf(packets.Skip(preloginEnd + handshake.Count).ToList());
        return (packets[..preloginEnd], handshake, rest);
    }

    /// <summary>Packets joined into whole messages (each ends with an EOM packet), kept as raw packet bytes.</summary>
    private static List<byte[]> MessagesOf(List<byte[]> packets)
    {
        var messages = new List<byte[]>();
        var current = new List<byte>();
        foreach (var packet in packets)
        {
            current.AddRange(packet);
            if ((packet[1] & 0x01) != 0)
            {
                messages.Add([.. current]);
                current.Clear();
            }
        }

        return messages;
    }

    /// <summary>The payloads of one or more consecutive packets, headers removed.</summary>
    private static byte[] Payload(byte[] packets) =>
        [.. FuzzCorpus.Split(packets, FuzzCorpus.TdsLength).SelectMany(p => p.Skip(TdsPacketHeader.Size))];
}

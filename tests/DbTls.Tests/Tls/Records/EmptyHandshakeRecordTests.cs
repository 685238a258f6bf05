using System.Buffers.Binary;
using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Reports;
using DbTls.Tests.Checks.Mongo;
using DbTls.Tests.Servers.PostgresHostile;
using DbTls.Tests.Wire.Postgres;

namespace DbTls.Tests.Tls.Records;

/// <summary>
/// A server answers the ClientHello with empty handshake records (<c>16 03 03 00 00</c>) on every protocol path.
/// SslStream crashes on them (IndexOutOfRangeException); OpenSSL skips up to 32 in a row and fails the 33rd with
/// "record too small" (measured with openssl s_client). dbtls must do the same: a few, then the server closing,
/// is the server closing; 33 are a TLS failure; never internal.error.
/// </summary>
public sealed class EmptyHandshakeRecordTests
{
    public enum Path
    {
        PostgresSslRequest,
        PostgresDirect,
        Mongo,
        TdsStrict,
        TdsWrapped,
    }

    public static TheoryData<Path> Paths => new(Enum.GetValues<Path>());

    private static readonly byte[] EmptyHandshakeRecord = [0x16, 0x03, 0x03, 0x00, 0x00];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Two_empty_records_then_close_is_the_server_closing(Path path)
    {
        var report = await RunAsync(path, records: 2);

        // The MongoDB check names an end of stream inside the handshake a broken handshake, not a closing.
        var expected = path == Path.Mongo ? FindingCodes.TlsHandshakeFailed : FindingCodes.ServerClosed;
        var last = report.Findings[^1];
        Assert.True(last.Code == expected, $"{last.Code}: {last.Message}");
        Assert.True(last.Code != FindingCodes.TlsHandshakeFailed || last.Message.Contains("EOF", StringComparison.Ordinal), last.Message);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Thirty_three_empty_records_are_a_tls_failure_as_in_openssl(Path path)
    {
        var report = await RunAsync(path, records: 33);

        var last = report.Findings[^1];
        Assert.True(last.Code == FindingCodes.TlsHandshakeFailed, $"{last.Code}: {last.Message}");
        Assert.True(last.Message.Contains("empty TLS handshake records", StringComparison.Ordinal), last.Message);
        Assert.DoesNotContain("Exception", last.Message, StringComparison.Ordinal);
    }

    private static async Task<CheckReport> RunAsync(Path path, int records)
    {
        var flight = Enumerable.Repeat(EmptyHandshakeRecord, records).SelectMany(r => r).ToArray();
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            switch (path)
            {
                case Path.PostgresSslRequest:
                    await c.ExpectSslRequestAsync(ct);
                    await c.WriteAsync([(byte)'S']);
                    await ReadRecordAsync(c, ct);
                    await c.WriteAsync(flight);
                    break;
                case Path.TdsWrapped:
                    await ReadTdsPacketAsync(c, ct);
                    await c.WriteAsync(PreloginEncryptionOn());
                    await ReadTdsPacketAsync(c, ct);
                    await c.WriteAsync(TdsPacket(0x12, flight));
                    break;
                default:
                    await ReadRecordAsync(c, ct);
                    await c.WriteAsync(flight);
                    break;
            }

            c.Close();
        });

        var timeout = TimeSpan.FromSeconds(20);
        return path switch
        {
            Path.PostgresSslRequest => await Hostile.CheckAsync(PostgresTestSpecs.For("require", server.Port), timeout),
            Path.PostgresDirect => await Hostile.CheckAsync(PostgresTestSpecs.For("require", server.Port, negotiation: PostgresNegotiation.Direct), timeout),
            Path.Mongo => await MongoCheckHarness.CheckAsync(MongoCheckHarness.UriFor(server.Port, "tls=true&tlsInsecure=true", host: "127.0.0.1"), timeout: timeout),
            Path.TdsStrict => await DbTls.Tests.Checks.Tds.TdsCheckTests.CheckAsync(
                DbTls.Dialects.SqlClient.SqlClientConnectionString.Parse($"Data Source=tcp:127.0.0.1,{server.Port};User ID=u;Password=Pw-Empty-Records-7;Encrypt=Strict;TrustServerCertificate=True"), 20),
            _ => await DbTls.Tests.Checks.Tds.TdsCheckTests.CheckAsync(
                DbTls.Dialects.SqlClient.SqlClientConnectionString.Parse($"Data Source=tcp:127.0.0.1,{server.Port};User ID=u;Password=Pw-Empty-Records-7;Encrypt=Mandatory;TrustServerCertificate=True"), 20),
        };
    }

    /// <summary>Reads one TLS record (the ClientHello).</summary>
    private static async Task ReadRecordAsync(HostileConnection c, CancellationToken ct)
    {
        var header = await c.ReadExactlyAsync(5, ct);
        Assert.Equal(0x16, header[0]);
        await c.ReadExactlyAsync(BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(3)), ct);
    }

    private static async Task ReadTdsPacketAsync(HostileConnection c, CancellationToken ct)
    {
        var header = await c.ReadExactlyAsync(8, ct);
        await c.ReadExactlyAsync(BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)) - 8, ct);
    }

    private static byte[] TdsPacket(byte type, byte[] body)
    {
        var packet = new byte[8 + body.Length];
        packet[0] = type;
        packet[1] = 0x01; // end of message
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[6] = 1;
        body.CopyTo(packet, 8);
        return packet;
    }

    /// <summary>A PRELOGIN answer with VERSION 16.0 and ENCRYPTION ON (MS-TDS 2.2.6.5).</summary>
    private static byte[] PreloginEncryptionOn()
    {
        byte[] body =
        [
            0x00, 0x00, 0x0B, 0x00, 0x06, // VERSION at 11, 6 bytes
            0x01, 0x00, 0x11, 0x00, 0x01, // ENCRYPTION at 17, 1 byte
            0xFF,
            0x10, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x01, // ENCRYPT_ON
        ];
        return TdsPacket(0x04, body);
    }
}

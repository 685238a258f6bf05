using System.Buffers.Binary;
using DbTls.Diagnostics;
using DbTls.Transports;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Transports;

/// <summary>
/// TDS 7.x up to the ClientHello through <see cref="PreTlsTransport"/>, against scripted servers: the one PRELOGIN,
/// the answer as read, TLS bytes carried in PRELOGIN packets, and hostile answers.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TdsTransportTests
{
    private const byte PreLoginType = 0x12;
    private const byte TabularResultType = 0x04;

    /// <summary>A TLS handshake record header and a five-byte body: what a scanner's ClientHello looks like to the framing.</summary>
    private static readonly byte[] HelloRecord = [0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5];

    private static readonly byte[] ServerRecord = [0x16, 0x03, 0x03, 0x00, 0x02, 0xAA, 0xBB];

    [Fact]
    public async Task PreLogin_answer_is_returned_and_TLS_bytes_travel_in_PreLogin_packets()
    {
        var seen = new TaskCompletionSource<(byte[] PreLogin, byte[] HelloPacket)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = Scripted.Serve(async (stream, stop) =>
        {
            var preLogin = await ReadPacketAsync(stream, stop);
            var answer = new PreLoginMessage { Version = new PreLoginVersion(16, 0, 1000, 0), Encryption = PreLoginEncryption.Required }.Encode();
            await stream.WriteAsync(Packet(TabularResultType, answer), stop);
            var hello = await ReadPacketAsync(stream, stop);
            seen.SetResult((preLogin, hello));
            await stream.WriteAsync(Packet(PreLoginType, ServerRecord), stop);
            await Scripted.WaitForCloseAsync(stream, stop);
        });

        await using var channel = await PreTlsTransport.OpenAsync(PreTlsProtocol.TdsPreLogin, "127.0.0.1", server.Port, null, Scripted.Timeout());
        Assert.Equal(PreLoginEncryption.Required, channel.PreLoginAnswer?.Encryption);
        Assert.Equal(new PreLoginVersion(16, 0, 1000, 0), channel.PreLoginAnswer?.Version);
        Assert.True(channel.MayStartTls);
        Assert.Null(channel.RequiredAlpn);

        await channel.TlsStream.WriteAsync(HelloRecord, Scripted.Timeout());
        await channel.TlsStream.FlushAsync(Scripted.Timeout());
        var (sentPreLogin, helloPacket) = await seen.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var reply = await Scripted.ReadExactAsync(channel.TlsStream, ServerRecord.Length, Scripted.Timeout());

        Assert.Equal(PreLoginType, sentPreLogin[0]);
        Assert.Equal(PreLoginEncryption.On, PreLoginMessage.Decode(sentPreLogin.AsSpan(8)).Encryption);
        Assert.Equal(PreLoginType, helloPacket[0]);
        Assert.Equal(8 + HelloRecord.Length, BinaryPrimitives.ReadUInt16BigEndian(helloPacket.AsSpan(2)));
        Assert.Equal(HelloRecord, helloPacket[8..]);
        Assert.Equal(ServerRecord, reply);
    }

    [Theory]
    [InlineData((int)PreTlsProtocol.TdsStrict, "tds/8.0")]
    [InlineData((int)PreTlsProtocol.PostgresDirect, "postgresql")]
    [InlineData((int)PreTlsProtocol.MongoImplicit, null)]
    public async Task TLS_first_protocols_send_nothing_before_the_ClientHello(int protocolValue, string? alpn)
    {
        var protocol = (PreTlsProtocol)protocolValue; // an int in the signature: the enum is internal and a public test method cannot take it
        var first = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = Scripted.Serve(async (stream, stop) =>
        {
            first.SetResult(await Scripted.ReadExactAsync(stream, HelloRecord.Length, stop));
            await Scripted.WaitForCloseAsync(stream, stop);
        });

        await using var channel = await PreTlsTransport.OpenAsync(protocol, "127.0.0.1", server.Port, null, Scripted.Timeout());
        await channel.TlsStream.WriteAsync(HelloRecord, Scripted.Timeout());

        Assert.Equal(HelloRecord, await first.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(alpn, channel.RequiredAlpn);
        Assert.Same(channel.Connection.Stream, channel.TlsStream);
    }

    [Fact]
    public async Task A_PreLogin_answer_cut_short_is_a_closed_connection()
    {
        await using var server = Scripted.Serve(async (stream, stop) =>
        {
            await ReadPacketAsync(stream, stop);
            var header = Packet(TabularResultType, new byte[52]);
            await stream.WriteAsync(header.AsMemory(0, 20), stop);
        });

        var failure = await Assert.ThrowsAnyAsync<DbTlsException>(() => PreTlsTransport.OpenAsync(PreTlsProtocol.TdsPreLogin, "127.0.0.1", server.Port, null, Scripted.Timeout()));

        Assert.Equal(FindingCodes.ServerClosed, failure.Code);
    }

    [Fact]
    public async Task A_PreLogin_answer_in_a_PreLogin_packet_is_a_protocol_violation()
    {
        await using var server = Scripted.Serve(async (stream, stop) =>
        {
            await ReadPacketAsync(stream, stop);
            await stream.WriteAsync(Packet(PreLoginType, new PreLoginMessage { Version = new PreLoginVersion(16, 0, 0, 0), Encryption = PreLoginEncryption.On }.Encode()), stop);
            await Scripted.WaitForCloseAsync(stream, stop);
        });

        var failure = await Assert.ThrowsAnyAsync<DbTlsException>(() => PreTlsTransport.OpenAsync(PreTlsProtocol.TdsPreLogin, "127.0.0.1", server.Port, null, Scripted.Timeout()));

        Assert.Equal(FindingCodes.ServerProtocolViolation, failure.Code);
        Assert.Contains("type 0x12, not 0x04", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_PreLogin_answer_longer_than_any_PreLogin_is_refused_before_it_is_read()
    {
        await using var server = Scripted.Serve(async (stream, stop) =>
        {
            await ReadPacketAsync(stream, stop);
            // Two full packets of a message that announces more: past PreLoginMessage.MaxLength (4096).
            for (var i = 0; i < 2; i++)
            {
                var packet = Packet(TabularResultType, new byte[4000]);
                packet[1] = 0x00; // not the end of the message
                await stream.WriteAsync(packet, stop);
            }

            await Scripted.WaitForCloseAsync(stream, stop);
        });

        var failure = await Assert.ThrowsAnyAsync<DbTlsException>(() => PreTlsTransport.OpenAsync(PreTlsProtocol.TdsPreLogin, "127.0.0.1", server.Port, null, Scripted.Timeout()));

        Assert.Equal(FindingCodes.ServerMessageTooLarge, failure.Code);
    }

    /// <summary>A single TDS packet (MS-TDS 2.2.3.1): type, status end-of-message, length, SPID 0, packet 1, window 0.</summary>
    private static byte[] Packet(byte type, byte[] payload)
    {
        var packet = new byte[8 + payload.Length];
        packet[0] = type;
        packet[1] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[6] = 1;
        payload.CopyTo(packet, 8);
        return packet;
    }

    private static async Task<byte[]> ReadPacketAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = await Scripted.ReadExactAsync(stream, 8, cancellationToken);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
        var body = await Scripted.ReadExactAsync(stream, length - 8, cancellationToken);
        return [.. header, .. body];
    }
}

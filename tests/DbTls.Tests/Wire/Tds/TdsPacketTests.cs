using DbTls.Diagnostics;
using DbTls.Wire.Tds;
using static DbTls.Tests.Wire.Tds.TdsTestBytes;

namespace DbTls.Tests.Wire.Tds;

public sealed class TdsPacketTests
{
    [Fact]
    public void Header_round_trips()
    {
        var header = new TdsPacketHeader(TdsPacketType.Login7, TdsPacketStatus.EndOfMessage, 0x0123, 0x0456, 7, 0);
        var bytes = new byte[8];
        header.Write(bytes);

        Assert.Equal(Hex("10 01 01 23 04 56 07 00"), bytes);
        Assert.Equal(header, TdsPacketHeader.Parse(bytes));
    }

    [Fact]
    public void Header_shorter_than_itself_is_a_violation() =>
        AssertViolation(() => TdsPacketHeader.Parse(Hex("04 01 00 07 00 00 01 00")), "shorter than the header");

    [Fact]
    public void Header_longer_than_the_maximum_packet_is_a_violation() =>
        AssertViolation(() => TdsPacketHeader.Parse(Hex("04 01 10 01 00 00 01 00"), maxPacketSize: 4096), "exceeds the maximum packet size 4096");

    [Fact]
    public void Writer_splits_into_numbered_packets_with_end_of_message_on_the_last()
    {
        var payload = Enumerable.Range(0, 50).Select(i => (byte)i).ToArray();

        var packets = TdsMessageWriter.SplitIntoPackets(TdsPacketType.SqlBatch, payload, packetSize: 28, spid: 55);

        Assert.Equal(3, packets.Count);
        var headers = packets.Select(p => TdsPacketHeader.Parse(p)).ToList();
        Assert.Equal([(byte)1, (byte)2, (byte)3], headers.Select(h => h.PacketId));
        Assert.Equal([false, false, true], headers.Select(h => h.IsEndOfMessage));
        Assert.All(headers, h => Assert.Equal((ushort)55, h.Spid));
        Assert.Equal(payload, packets.SelectMany(p => p.Skip(8)).ToArray());
    }

    [Fact]
    public async Task Reader_reassembles_a_multi_packet_message()
    {
        var payload = Enumerable.Range(0, 10000).Select(i => (byte)i).ToArray();
        using var stream = new MemoryStream(TdsMessageWriter.Frame(TdsPacketType.TabularResult, payload, packetSize: 512));

        var message = await new TdsMessageReader(stream).ReadMessageAsync(CancellationToken.None);

        Assert.NotNull(message);
        Assert.Equal(TdsPacketType.TabularResult, message.Type);
        Assert.Equal(payload, message.Payload);
        Assert.Equal(20, message.Packets.Count);
        Assert.Null(await new TdsMessageReader(stream).ReadMessageAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Reader_returns_null_on_a_clean_close()
    {
        using var stream = new MemoryStream();
        Assert.Null(await new TdsMessageReader(stream).ReadMessageAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Packet_of_another_type_inside_a_message_is_a_violation()
    {
        var first = TdsMessageWriter.SplitIntoPackets(TdsPacketType.TabularResult, new byte[100], packetSize: 64)[0];
        var other = TdsMessageWriter.Frame(TdsPacketType.PreLogin, new byte[10]);
        using var stream = new MemoryStream([.. first, .. other]);

        var error = await Assert.ThrowsAsync<DbTls.Diagnostics.DbTlsException>(() => new TdsMessageReader(stream).ReadMessageAsync(CancellationToken.None).AsTask());

        Assert.Equal(FindingCodes.ServerProtocolViolation, error.Code);
        Assert.Contains("type 0x12 inside a message of type 0x04", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_header_is_a_closed_connection()
    {
        using var stream = new MemoryStream(Hex("04 01 00"));

        var error = await Assert.ThrowsAsync<DbTls.Diagnostics.DbTlsException>(() => new TdsMessageReader(stream).ReadMessageAsync(CancellationToken.None).AsTask());

        Assert.Equal(FindingCodes.ServerClosed, error.Code);
        Assert.Contains("3 of the 8 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_payload_is_a_closed_connection()
    {
        using var stream = new MemoryStream(Hex("04 01 00 20 00 00 01 00 AA BB"));

        var error = await Assert.ThrowsAsync<DbTls.Diagnostics.DbTlsException>(() => new TdsMessageReader(stream).ReadMessageAsync(CancellationToken.None).AsTask());

        Assert.Equal(FindingCodes.ServerClosed, error.Code);
        Assert.Contains("2 of the 24 payload bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close_in_the_middle_of_a_message_is_a_closed_connection()
    {
        var first = TdsMessageWriter.SplitIntoPackets(TdsPacketType.TabularResult, new byte[100], packetSize: 64)[0];
        using var stream = new MemoryStream(first);

        var error = await Assert.ThrowsAsync<DbTls.Diagnostics.DbTlsException>(() => new TdsMessageReader(stream).ReadMessageAsync(CancellationToken.None).AsTask());

        Assert.Equal(FindingCodes.ServerClosed, error.Code);
    }

    [Fact]
    public async Task Message_longer_than_the_maximum_is_too_large()
    {
        using var stream = new MemoryStream(TdsMessageWriter.Frame(TdsPacketType.TabularResult, new byte[5000], packetSize: 1024));

        var error = await Assert.ThrowsAsync<DbTls.Diagnostics.DbTlsException>(() => new TdsMessageReader(stream, maxMessageLength: 4096).ReadMessageAsync(CancellationToken.None).AsTask());

        Assert.Equal(FindingCodes.ServerMessageTooLarge, error.Code);
        Assert.Contains("exceeds the maximum of 4096 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Packet_larger_than_the_reader_allows_is_a_violation()
    {
        using var stream = new MemoryStream(TdsMessageWriter.Frame(TdsPacketType.TabularResult, new byte[5000], packetSize: 8000));

        var error = await Assert.ThrowsAsync<DbTls.Diagnostics.DbTlsException>(() => new TdsMessageReader(stream, maxPacketSize: 4096).ReadMessageAsync(CancellationToken.None).AsTask());

        Assert.Equal(FindingCodes.ServerProtocolViolation, error.Code);
    }
}

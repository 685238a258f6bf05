using System.Buffers.Binary;
using DbTls.Diagnostics;
using DbTls.Wire.Mongo;
using MongoDB.Bson;

namespace DbTls.Tests.Wire.Mongo;

public class MongoMessageReaderTests
{
    private static Task<byte[]?> Read(byte[] bytes, int max = MongoWireLimits.DefaultMaxMessageSizeBytes) =>
        MongoMessageReader.ReadMessageAsync(new MemoryStream(bytes), max, CancellationToken.None);

    [Fact]
    public async Task Reads_exactly_one_message()
    {
        var first = new OpMsg(new BsonDocument("ping", 1)).Encode(1, 0);
        var second = new OpMsg(new BsonDocument("ok", 1)).Encode(2, 1);
        var stream = new MemoryStream([.. first, .. second]);
        Assert.Equal(first, await MongoMessageReader.ReadMessageAsync(stream, 1000, CancellationToken.None));
        Assert.Equal(second, await MongoMessageReader.ReadMessageAsync(stream, 1000, CancellationToken.None));
        Assert.Null(await MongoMessageReader.ReadMessageAsync(stream, 1000, CancellationToken.None));
    }

    [Fact]
    public async Task Oversized_announcement_is_refused_before_reading_it()
    {
        var header = new byte[16];
        new MongoMessageHeader(int.MaxValue, 1, 0, MongoOpCode.Msg).Write(header);
        var ex = await Assert.ThrowsAsync<DbTlsException>(() => Read(header));
        Assert.Equal(FindingCodes.ServerMessageTooLarge, ex.Code);

        new MongoMessageHeader(2001, 1, 0, MongoOpCode.Msg).Write(header);
        Assert.Equal(FindingCodes.ServerMessageTooLarge, (await Assert.ThrowsAsync<DbTlsException>(() => Read(header, 2000))).Code);
    }

    [Fact]
    public async Task A_header_announcing_48_mb_costs_a_small_buffer_not_48_mb()
    {
        var header = new byte[16];
        new MongoMessageHeader(MongoWireLimits.DefaultMaxMessageSizeBytes, 1, 0, MongoOpCode.Msg).Write(header);
        var stream = new MemoryStream([.. header, 1, 2, 3]); // completes synchronously: all allocation on this thread
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(FindingCodes.ServerClosed, (await Assert.ThrowsAsync<DbTlsException>(() => MongoMessageReader.ReadMessageAsync(stream, MongoWireLimits.DefaultMaxMessageSizeBytes, CancellationToken.None))).Code);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1_000_000);
    }

    [Fact]
    public async Task A_large_message_arriving_in_small_pieces_is_reassembled_exactly()
    {
        var body = Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray();
        var message = new OpMsg(new BsonDocument("blob", new BsonBinaryData(body))).Encode(7, 0);
        Assert.True(message.Length > 4 * MongoMessageReader.InitialBufferSize);
        var read = await MongoMessageReader.ReadMessageAsync(new TricklingStream(message, 1000), MongoWireLimits.DefaultMaxMessageSizeBytes, CancellationToken.None);
        Assert.Equal(message, read);
    }

    [Fact]
    public async Task A_sasl_reply_larger_than_16_mib_is_a_typed_violation()
    {
        // Built by hand: the BSON writer itself refuses documents this large. OP_MSG: header, flags, kind 0, document
        // { payload: BinData(17 MiB) }.
        const int PayloadLength = 17 * 1024 * 1024;
        var document = new byte[4 + 1 + "payload\0".Length + 4 + 1 + PayloadLength + 1];
        BinaryPrimitives.WriteInt32LittleEndian(document, document.Length);
        document[4] = 0x05;
        "payload\0"u8.CopyTo(document.AsSpan(5));
        BinaryPrimitives.WriteInt32LittleEndian(document.AsSpan(13), PayloadLength);
        var duplex = new ScriptedStream
        {
            ReplyWith = requestId =>
            {
                var message = new byte[16 + 4 + 1 + document.Length];
                new MongoMessageHeader(message.Length, 9, requestId, MongoOpCode.Msg).Write(message);
                document.CopyTo(message, 21);
                return message;
            },
        };
        await using var connection = new MongoWireConnection(duplex);
        var saslStart = new BsonDocument { { "saslStart", 1 }, { "mechanism", "SCRAM-SHA-256" }, { "payload", new BsonBinaryData("n,,n=u,r=abc"u8.ToArray()) } };
        var ex = await Assert.ThrowsAsync<DbTlsException>(() => connection.RunCommandRawAsync("admin", saslStart, CancellationToken.None));
        Assert.Equal(FindingCodes.ServerProtocolViolation, ex.Code);
        Assert.Contains("maxBsonObjectSize", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(15)]
    public async Task Length_below_the_header_is_a_violation(int length)
    {
        var header = new byte[16];
        new MongoMessageHeader(length, 1, 0, MongoOpCode.Msg).Write(header);
        Assert.Equal(FindingCodes.ServerProtocolViolation, (await Assert.ThrowsAsync<DbTlsException>(() => Read(header))).Code);
    }

    [Fact]
    public async Task Truncation_is_reported_as_a_closed_connection()
    {
        var message = new OpMsg(new BsonDocument("ping", 1)).Encode(1, 0);
        Assert.Equal(FindingCodes.ServerClosed, (await Assert.ThrowsAsync<DbTlsException>(() => Read(message[..10]))).Code);
        Assert.Equal(FindingCodes.ServerClosed, (await Assert.ThrowsAsync<DbTlsException>(() => Read(message[..^3]))).Code);
    }

    [Fact]
    public async Task Responses_to_another_request_are_refused()
    {
        // A server that answers with responseTo of a request never made.
        var reply = new OpMsg(new BsonDocument("ok", 1.0)).Encode(5, responseTo: 12345);
        var duplex = new ScriptedStream(reply);
        await using var connection = new MongoWireConnection(duplex);
        var ex = await Assert.ThrowsAsync<DbTlsException>(() => connection.RunCommandAsync("admin", new BsonDocument("ping", 1), CancellationToken.None));
        Assert.Contains("answers request 12345", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replies_with_more_to_come_are_refused()
    {
        var duplex = new ScriptedStream();
        duplex.ReplyWith = requestId => new OpMsg(OpMsgFlags.MoreToCome, new BsonDocument("ok", 1.0), []).Encode(9, requestId);
        await using var connection = new MongoWireConnection(duplex);
        var ex = await Assert.ThrowsAsync<DbTlsException>(() => connection.RunCommandAsync("admin", new BsonDocument("ping", 1), CancellationToken.None));
        Assert.Contains("moreToCome", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_errors_carry_the_server_code()
    {
        var duplex = new ScriptedStream
        {
            ReplyWith = requestId => new OpMsg(new BsonDocument { { "ok", 0.0 }, { "errmsg", "Authentication failed." }, { "code", 18 }, { "codeName", "AuthenticationFailed" } }).Encode(9, requestId),
        };
        await using var connection = new MongoWireConnection(duplex);
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => connection.RunCommandAsync("admin", new BsonDocument("ping", 1), CancellationToken.None));
        Assert.Equal(FindingCodes.AuthFailed, ex.Code);
        Assert.Equal(18, ex.ServerCode);
        var exchange = Assert.Single(connection.Exchanges);
        Assert.Equal("ping", exchange.CommandName);
        Assert.False(exchange.Ok);
    }

    /// <summary>Gives at most <paramref name="chunk"/> bytes per read, as a slow network does.</summary>
    private sealed class TricklingStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    /// <summary>A stream that answers each written OP_MSG with a scripted reply.</summary>
    private sealed class ScriptedStream(byte[]? fixedReply = null) : Stream
    {
        private MemoryStream _pending = new();

        public Func<int, byte[]>? ReplyWith { get; set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _pending.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            var requestId = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(offset + 4));
            _pending = new MemoryStream(fixedReply ?? ReplyWith!(requestId));
        }
    }
}

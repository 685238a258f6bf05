using System.Buffers.Binary;
using DbTls.Diagnostics;
using DbTls.Wire.Mongo;
using MongoDB.Bson;

namespace DbTls.Tests.Wire.Mongo;

public class OpMsgTests
{
    private static readonly BsonDocument Body = new() { { "insert", "c" }, { "$db", "test" } };

    private static OpMsg WithSequence(OpMsgFlags flags = OpMsgFlags.None) => new(flags, Body,
        [new OpMsgDocumentSequence("documents", [new BsonDocument("_id", 1), new BsonDocument("_id", "two")])]);

    private static DbTlsException Violation(byte[] bytes) => Assert.ThrowsAny<DbTlsException>(() => OpMsg.Decode(bytes));

    [Fact]
    public void Round_trip_with_body_sequence_and_checksum()
    {
        foreach (var flags in new[] { OpMsgFlags.None, OpMsgFlags.ChecksumPresent })
        {
            var bytes = WithSequence(flags).Encode(requestId: 7, responseTo: 3);
            var header = MongoMessageHeader.Read(bytes);
            Assert.Equal(new MongoMessageHeader(bytes.Length, 7, 3, MongoOpCode.Msg), header);
            var decoded = OpMsg.Decode(bytes);
            Assert.Equal(flags, decoded.Flags);
            Assert.Equal(Body, decoded.Body);
            Assert.Equal("insert", decoded.CommandName);
            var sequence = Assert.Single(decoded.Sequences);
            Assert.Equal("documents", sequence.Identifier);
            Assert.Equal([new BsonDocument("_id", 1), new BsonDocument("_id", "two")], sequence.Documents.ToArray());
        }
    }

    [Fact]
    public void Every_bson_type_survives_a_round_trip()
    {
        var document = new BsonDocument
        {
            { "double", 1.5 },
            { "string", "h\u00e9llo" },
            { "doc", new BsonDocument("a", new BsonDocument("b", 1)) },
            { "array", new BsonArray { 1, "two", new BsonArray { 3.0 } } },
            { "binary", new BsonBinaryData([1, 2, 3], BsonBinarySubType.UserDefined) },
            { "undefined", BsonUndefined.Value },
            { "oid", ObjectId.GenerateNewId() },
            { "bool", true },
            { "date", new BsonDateTime(1_700_000_000_000) },
            { "null", BsonNull.Value },
            { "regex", new BsonRegularExpression("^a.*", "i") },
            { "js", new BsonJavaScript("function() {}") },
            { "symbol", (BsonSymbol)"sym" },
            { "jsscope", new BsonJavaScriptWithScope("x", new BsonDocument("x", 1)) },
            { "int32", 42 },
            { "timestamp", new BsonTimestamp(5, 6) },
            { "int64", 1L << 40 },
            { "decimal", new BsonDecimal128(12.25m) },
            { "min", BsonMinKey.Value },
            { "max", BsonMaxKey.Value },
        };
        var decoded = OpMsg.Decode(new OpMsg(document).Encode(1, 0)).Body;
        Assert.Equal(document, decoded);
        Assert.Equal(document.Names, decoded.Names);
    }

    [Fact]
    public void Layout_matches_the_specification()
    {
        var bytes = new OpMsg(new BsonDocument("ping", 1)).Encode(1, 0);
        var body = MongoBson.ToBytes(new BsonDocument("ping", 1));
        Assert.Equal(16 + 4 + 1 + body.Length, bytes.Length);
        Assert.Equal(2013, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(0, bytes[20]);
        Assert.Equal(body, bytes[21..]);
    }

    [Fact]
    public void Crc32c_matches_the_standard_check_value() =>
        Assert.Equal(0xE3069283u, OpMsg.Crc32C("123456789"u8));

    [Fact]
    public void Checksum_mismatch_is_a_violation()
    {
        var bytes = WithSequence(OpMsgFlags.ChecksumPresent).Encode(1, 0);
        bytes[^1] ^= 0x55;
        Assert.Equal(FindingCodes.ServerProtocolViolation, Violation(bytes).Code);
    }

    [Fact]
    public void Unknown_required_flag_bits_are_refused_and_optional_ones_ignored()
    {
        var bytes = new OpMsg(new BsonDocument("ping", 1)).Encode(1, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), 1u << 5);
        Assert.Contains("unknown required flag", Violation(bytes).Message, StringComparison.Ordinal);

        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), 1u << 20);
        Assert.Equal((OpMsgFlags)(1u << 20), OpMsg.Decode(bytes).Flags);
    }

    [Fact]
    public void Structural_errors_are_violations()
    {
        var ping = MongoBson.ToBytes(new BsonDocument("ping", 1));

        // Two bodies.
        Assert.Contains("more than one body", Violation(Build(0, [0, .. ping, 0, .. ping])).Message, StringComparison.Ordinal);

        // No body, only a sequence.
        Assert.Contains("no body", Violation(Build(0, [1, .. Sequence("docs", ping)])).Message, StringComparison.Ordinal);

        // Unknown section kind.
        Assert.Contains("unknown kind 2", Violation(Build(0, [0, .. ping, 2, 0, 0, 0, 0])).Message, StringComparison.Ordinal);

        // Repeated sequence identifier.
        Assert.Contains("repeats", Violation(Build(0, [0, .. ping, 1, .. Sequence("d", ping), 1, .. Sequence("d", ping)])).Message, StringComparison.Ordinal);

        // Header length disagrees with the bytes.
        var good = new OpMsg(new BsonDocument("ping", 1)).Encode(1, 0);
        BinaryPrimitives.WriteInt32LittleEndian(good, good.Length + 1);
        Violation(good);

        // Not OP_MSG.
        var query = new OpQuery(0, "admin.$cmd", 0, -1, new BsonDocument("isMaster", 1)).Encode(1);
        Assert.Contains("expected OP_MSG", Violation(query).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(3)] // shorter than its own elements
    [InlineData(1000)] // longer than the message
    public void A_body_document_whose_length_lies_is_a_violation_not_a_crash(int declared)
    {
        var doc = MongoBson.ToBytes(new BsonDocument { { "ping", 1 }, { "s", "hello" } });
        BinaryPrimitives.WriteInt32LittleEndian(doc, declared);
        Assert.Equal(FindingCodes.ServerProtocolViolation, Violation(Build(0, [0, .. doc])).Code);
    }

    [Fact]
    public void A_document_shorter_than_its_elements_is_caught()
    {
        // Declares 12 of its 21 bytes; byte 11 happens to be zero? Make sure the check is the element walk, not luck.
        var doc = MongoBson.ToBytes(new BsonDocument { { "a", 1 }, { "b", 2 } });
        var truncated = doc.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(truncated, doc.Length - 7);
        truncated[doc.Length - 8] = 0;
        Assert.Equal(FindingCodes.ServerProtocolViolation, Violation(Build(0, [0, .. truncated])).Code);
    }

    [Fact]
    public void A_string_element_whose_length_lies_is_a_violation()
    {
        var doc = MongoBson.ToBytes(new BsonDocument("s", "hello"));

        // Layout: int32 length, 0x02, "s\0", int32 string length, "hello\0", 0x00.
        foreach (var lie in new[] { int.MaxValue, -5, 0, 100 })
        {
            var copy = doc.ToArray();
            BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(7), lie);
            Assert.Equal(FindingCodes.ServerProtocolViolation, Violation(Build(0, [0, .. copy])).Code);
        }
    }

    [Fact]
    public void A_huge_inner_string_length_is_refused_fast_without_allocating_it()
    {
        // MongoDB.Bson alone would allocate the declared 369 MB and take seconds; the structure walk refuses it first.
        var doc = MongoBson.ToBytes(new BsonDocument { { "insert", "c" }, { "$db", "test" } });
        var at = doc.AsSpan().IndexOf("$db\0"u8) + 4;
        BinaryPrimitives.WriteInt32LittleEndian(doc.AsSpan(at), 0x16000005);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Contains("a string declares", Violation(Build(0, [0, .. doc])).Message, StringComparison.Ordinal);
        Assert.True(watch.ElapsedMilliseconds < 1000, $"took {watch.ElapsedMilliseconds} ms");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
    }

    [Fact]
    public void A_string_that_is_not_utf8_is_a_violation_named_as_such()
    {
        var doc = MongoBson.ToBytes(new BsonDocument("s", "hello"));
        doc[doc.AsSpan().IndexOf("hello"u8)] = 0xFF;

        var violation = Violation(Build(0, [0, .. doc]));

        Assert.Contains("a string is not valid UTF-8", violation.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_element_name_that_is_not_utf8_is_a_violation_named_as_such()
    {
        var doc = MongoBson.ToBytes(new BsonDocument("name", 1));
        doc[doc.AsSpan().IndexOf("name"u8)] = 0xC3; // a lead byte followed by an ASCII letter

        var violation = Violation(Build(0, [0, .. doc]));

        Assert.Contains("an element name is not valid UTF-8", violation.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", violation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, 15)]
    [InlineData(4, 15)]
    [InlineData(4, 17)]
    public void A_uuid_binary_of_the_wrong_length_is_a_violation_named_as_such(byte subtype, int length)
    {
        // Layout: int32 length, 0x05, "u\0", int32 binary length, subtype, bytes, 0x00.
        byte[] element = [0x05, (byte)'u', 0, (byte)length, 0, 0, 0, subtype, .. new byte[length]];
        byte[] doc = [0, 0, 0, 0, .. element, 0];
        BinaryPrimitives.WriteInt32LittleEndian(doc, doc.Length);

        var violation = Violation(Build(0, [0, .. doc]));

        Assert.Contains($"has {length} bytes instead of 16", violation.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_refused()
    {
        // Built by hand: MongoDB.Bson's writer itself refuses to write this deep.
        byte[] doc = [5, 0, 0, 0, 0];
        for (var i = 0; i < 200; i++)
        {
            byte[] outer = [0, 0, 0, 0, 0x03, (byte)'n', 0, .. doc, 0];
            BinaryPrimitives.WriteInt32LittleEndian(outer, outer.Length);
            doc = outer;
        }

        Assert.Contains("nested too deeply", Violation(Build(0, [0, .. doc])).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(500)]
    public void A_sequence_whose_size_lies_is_a_violation(int declared)
    {
        var ping = MongoBson.ToBytes(new BsonDocument("ping", 1));
        var sequence = Sequence("documents", ping);
        BinaryPrimitives.WriteInt32LittleEndian(sequence, declared);
        Assert.Equal(FindingCodes.ServerProtocolViolation, Violation(Build(0, [0, .. ping, 1, .. sequence])).Code);
    }

    [Fact]
    public void Sequence_without_identifier_terminator_is_a_violation()
    {
        var ping = MongoBson.ToBytes(new BsonDocument("ping", 1));
        byte[] sequence = [0, 0, 0, 0, (byte)'a', (byte)'b'];
        BinaryPrimitives.WriteInt32LittleEndian(sequence, sequence.Length);
        Assert.Contains("not terminated", Violation(Build(0, [0, .. ping, 1, .. sequence])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_corruption_only_ever_raises_DbTlsException()
    {
        var original = WithSequence(OpMsgFlags.None).Encode(1, 0);
        var random = new Random(20131);
        var rejected = 0;
        for (var i = 0; i < 5000; i++)
        {
            var bytes = original.ToArray();
            var flips = random.Next(1, 4);
            for (var f = 0; f < flips; f++)
            {
                bytes[random.Next(16, bytes.Length)] = (byte)random.Next(256);
            }

            // Keep the header consistent so that the section parser, not the length check, is exercised.
            var cut = random.Next(0, 3) == 0 ? random.Next(21, bytes.Length) : bytes.Length;
            bytes = bytes[..cut];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, bytes.Length);
            try
            {
                OpMsg.Decode(bytes);
            }
            catch (DbTlsException)
            {
                rejected++;
            }
        }

        Assert.True(rejected > 2000, $"only {rejected} of 5000 corrupted messages were rejected");
    }

    [Fact]
    public void Op_query_and_op_reply_round_trip()
    {
        var query = new OpQuery(4, "admin.$cmd", 0, -1, new BsonDocument { { "isMaster", 1 }, { "helloOk", true } });
        Assert.Equal(query with { Query = query.Query }, OpQuery.Decode(query.Encode(9)));
        var reply = new OpReply(8, 0, 0, [new BsonDocument("ok", 1.0)]);
        var decoded = OpReply.Decode(reply.Encode(10, 9));
        Assert.Equal(new BsonDocument("ok", 1.0), Assert.Single(decoded.Documents));
        var bytes = reply.Encode(10, 9);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16 + 16), 1_000_000);
        Assert.Throws<DbTlsException>(() => OpReply.Decode(bytes));
    }

    /// <summary>An OP_MSG with the given flag bits and raw section bytes.</summary>
    internal static byte[] Build(uint flags, byte[] sections)
    {
        var bytes = new byte[16 + 4 + sections.Length];
        new MongoMessageHeader(bytes.Length, 1, 0, MongoOpCode.Msg).Write(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), flags);
        sections.CopyTo(bytes, 20);
        return bytes;
    }

    private static byte[] Sequence(string identifier, params byte[][] documents)
    {
        byte[] content = [0, 0, 0, 0, .. System.Text.Encoding.UTF8.GetBytes(identifier), 0, .. documents.SelectMany(d => d)];
        BinaryPrimitives.WriteInt32LittleEndian(content, content.Length);
        return content;
    }
}

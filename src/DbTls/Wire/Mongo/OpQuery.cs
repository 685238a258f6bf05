using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using MongoDB.Bson;

namespace DbTls.Wire.Mongo;

/// <summary>
/// Legacy OP_QUERY (2004), kept only for the first handshake some drivers still send as
/// <c>{isMaster: 1}</c> on <c>admin.$cmd</c>. Decoding stops at the query document; a field selector, if any, is checked and ignored.
/// </summary>
internal sealed record OpQuery(int Flags, string FullCollectionName, int NumberToSkip, int NumberToReturn, BsonDocument Query)
{
    public byte[] Encode(int requestId)
    {
        using var stream = new MemoryStream();
        stream.Write(new byte[MongoMessageHeader.Size]);
        Span<byte> int32 = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(int32, Flags);
        stream.Write(int32);
        stream.Write(Encoding.UTF8.GetBytes(FullCollectionName));
        stream.WriteByte(0);
        BinaryPrimitives.WriteInt32LittleEndian(int32, NumberToSkip);
        stream.Write(int32);
        BinaryPrimitives.WriteInt32LittleEndian(int32, NumberToReturn);
        stream.Write(int32);
        stream.Write(MongoBson.ToBytes(Query));
        var message = stream.ToArray();
        new MongoMessageHeader(message.Length, requestId, 0, MongoOpCode.Query).Write(message);
        return message;
    }

    public static OpQuery Decode(ReadOnlySpan<byte> message)
    {
        var header = MongoMessageHeader.Read(message);
        if (header.OpCode != MongoOpCode.Query || header.MessageLength != message.Length)
        {
            throw MongoWireErrors.Violation("not a well-formed OP_QUERY");
        }

        var rest = message[MongoMessageHeader.Size..];
        if (rest.Length < 4)
        {
            throw MongoWireErrors.Violation("OP_QUERY too short");
        }

        var flags = BinaryPrimitives.ReadInt32LittleEndian(rest);
        rest = rest[4..];
        var nul = rest.IndexOf((byte)0);
        if (nul < 0)
        {
            throw MongoWireErrors.Violation("OP_QUERY collection name is not terminated");
        }

        var collection = Encoding.UTF8.GetString(rest[..nul]);
        rest = rest[(nul + 1)..];
        if (rest.Length < 8)
        {
            throw MongoWireErrors.Violation("OP_QUERY too short for numberToSkip and numberToReturn");
        }

        var skip = BinaryPrimitives.ReadInt32LittleEndian(rest);
        var toReturn = BinaryPrimitives.ReadInt32LittleEndian(rest[4..]);
        rest = rest[8..];
        var query = MongoBson.ReadDocument(rest, "OP_QUERY query", out var length);
        rest = rest[length..];
        if (!rest.IsEmpty)
        {
            MongoBson.ReadSingleDocument(rest, "OP_QUERY returnFieldsSelector");
        }

        return new OpQuery(flags, collection, skip, toReturn, query);
    }
}

/// <summary>Legacy OP_REPLY (1): the answer to an OP_QUERY.</summary>
internal sealed record OpReply(int ResponseFlags, long CursorId, int StartingFrom, IReadOnlyList<BsonDocument> Documents)
{
    public byte[] Encode(int requestId, int responseTo)
    {
        using var stream = new MemoryStream();
        stream.Write(new byte[MongoMessageHeader.Size + 20]);
        foreach (var document in Documents)
        {
            stream.Write(MongoBson.ToBytes(document));
        }

        var message = stream.ToArray();
        new MongoMessageHeader(message.Length, requestId, responseTo, MongoOpCode.Reply).Write(message);
        var body = message.AsSpan(MongoMessageHeader.Size);
        BinaryPrimitives.WriteInt32LittleEndian(body, ResponseFlags);
        BinaryPrimitives.WriteInt64LittleEndian(body[4..], CursorId);
        BinaryPrimitives.WriteInt32LittleEndian(body[12..], StartingFrom);
        BinaryPrimitives.WriteInt32LittleEndian(body[16..], Documents.Count);
        return message;
    }

    public static OpReply Decode(ReadOnlySpan<byte> message)
    {
        var header = MongoMessageHeader.Read(message);
        if (header.OpCode != MongoOpCode.Reply || header.MessageLength != message.Length || message.Length < MongoMessageHeader.Size + 20)
        {
            throw MongoWireErrors.Violation("not a well-formed OP_REPLY");
        }

        var body = message[MongoMessageHeader.Size..];
        var count = BinaryPrimitives.ReadInt32LittleEndian(body[16..]);
        var rest = body[20..];
        if (count < 0 || count > rest.Length / MongoWireLimits.MinBsonDocumentSize)
        {
            throw MongoWireErrors.Violation(string.Create(CultureInfo.InvariantCulture, $"OP_REPLY claims {count} documents in {rest.Length} bytes"));
        }

        var documents = new List<BsonDocument>(count);
        for (var i = 0; i < count; i++)
        {
            documents.Add(MongoBson.ReadDocument(rest, "OP_REPLY document", out var length));
            rest = rest[length..];
        }

        if (!rest.IsEmpty)
        {
            throw MongoWireErrors.Violation("OP_REPLY has bytes after its documents");
        }

        return new OpReply(BinaryPrimitives.ReadInt32LittleEndian(body), BinaryPrimitives.ReadInt64LittleEndian(body[4..]), BinaryPrimitives.ReadInt32LittleEndian(body[12..]), documents);
    }
}

using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using System.Text;
using MongoDB.Bson;

namespace DbTls.Wire.Mongo;

/// <summary>A kind-1 section: a named sequence of documents pulled out of the body (e.g. <c>documents</c> of an insert).</summary>
internal sealed record OpMsgDocumentSequence(string Identifier, ImmutableArray<BsonDocument> Documents);

/// <summary>
/// OP_MSG (opCode 2013): flagBits, exactly one kind-0 body section, any number of kind-1 document
/// sequences, and an optional CRC-32C checksum. Decoding checks every length against the bytes present.
/// </summary>
internal sealed record OpMsg(OpMsgFlags Flags, BsonDocument Body, ImmutableArray<OpMsgDocumentSequence> Sequences)
{
    private const uint RequiredBitsMask = 0xFFFF;
    private const OpMsgFlags KnownRequiredBits = OpMsgFlags.ChecksumPresent | OpMsgFlags.MoreToCome;

    public OpMsg(BsonDocument body)
        : this(OpMsgFlags.None, body, [])
    {
    }

    /// <summary>The command name: the body's first key.</summary>
    public string CommandName => Body.ElementCount > 0 ? Body.GetElement(0).Name : string.Empty;

    /// <summary>The whole message, header included. The checksum is appended when <see cref="OpMsgFlags.ChecksumPresent"/> is set.</summary>
    public byte[] Encode(int requestId, int responseTo)
    {
        using var stream = new MemoryStream();
        stream.Write(new byte[MongoMessageHeader.Size + 4]);
        stream.WriteByte(0);
        stream.Write(MongoBson.ToBytes(Body));
        Span<byte> sizeBytes = stackalloc byte[4];
        foreach (var sequence in Sequences)
        {
            stream.WriteByte(1);
            var identifier = Encoding.UTF8.GetBytes(sequence.Identifier);
            var documents = sequence.Documents.Select(MongoBson.ToBytes).ToList();
            var size = 4 + identifier.Length + 1 + documents.Sum(d => d.Length);
            BinaryPrimitives.WriteInt32LittleEndian(sizeBytes, size);
            stream.Write(sizeBytes);
            stream.Write(identifier);
            stream.WriteByte(0);
            foreach (var document in documents)
            {
                stream.Write(document);
            }
        }

        var withChecksum = Flags.HasFlag(OpMsgFlags.ChecksumPresent);
        if (withChecksum)
        {
            stream.Write(new byte[4]);
        }

        var message = stream.ToArray();
        new MongoMessageHeader(message.Length, requestId, responseTo, MongoOpCode.Msg).Write(message);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(MongoMessageHeader.Size), (uint)Flags);
        if (withChecksum)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(message.Length - 4), Crc32C(message.AsSpan(0, message.Length - 4)));
        }

        return message;
    }

    /// <summary>Decodes a whole OP_MSG, header included.</summary>
    public static OpMsg Decode(ReadOnlySpan<byte> message)
    {
        var header = MongoMessageHeader.Read(message);
        if (header.OpCode != MongoOpCode.Msg)
        {
            throw MongoWireErrors.Violation(string.Create(CultureInfo.InvariantCulture, $"expected OP_MSG (2013), got opCode {(int)header.OpCode}"));
        }

        if (header.MessageLength != message.Length)
        {
            throw MongoWireErrors.Violation(string.Create(CultureInfo.InvariantCulture, $"the header declares {header.MessageLength} bytes but the message has {message.Length}"));
        }

        var rest = message[MongoMessageHeader.Size..];
        if (rest.Length < 4 + 1)
        {
            throw MongoWireErrors.Violation("OP_MSG too short for flagBits and a section");
        }

        var flags = (OpMsgFlags)BinaryPrimitives.ReadUInt32LittleEndian(rest);
        var unknownRequired = (uint)flags & RequiredBitsMask & ~(uint)KnownRequiredBits;
        if (unknownRequired != 0)
        {
            throw MongoWireErrors.Violation(string.Create(CultureInfo.InvariantCulture, $"OP_MSG sets unknown required flag bits 0x{unknownRequired:X4}"));
        }

        if (flags.HasFlag(OpMsgFlags.ChecksumPresent))
        {
            if (rest.Length < 4 + 1 + 4)
            {
                throw MongoWireErrors.Violation("OP_MSG has the checksum flag but no room for a checksum");
            }

            var expected = BinaryPrimitives.ReadUInt32LittleEndian(message[^4..]);
            var actual = Crc32C(message[..^4]);
            if (expected != actual)
            {
                throw MongoWireErrors.Violation(string.Create(CultureInfo.InvariantCulture, $"OP_MSG checksum mismatch (message says 0x{expected:X8}, content gives 0x{actual:X8})"));
            }

            rest = rest[..^4];
        }

        var sections = rest[4..];
        BsonDocument? body = null;
        var sequences = ImmutableArray.CreateBuilder<OpMsgDocumentSequence>();
        while (!sections.IsEmpty)
        {
            var kind = sections[0];
            sections = sections[1..];
            switch (kind)
            {
                case 0:
                    if (body is not null)
                    {
                        throw MongoWireErrors.Violation("OP_MSG has more than one body (kind 0) section");
                    }

                    body = MongoBson.ReadDocument(sections, "OP_MSG body section", out var bodyLength);
                    sections = sections[bodyLength..];
                    break;
                case 1:
                    var sequence = ReadSequence(sections, out var sequenceLength);
                    if (sequences.Any(s => s.Identifier == sequence.Identifier))
                    {
                        throw MongoWireErrors.Violation($"OP_MSG repeats the document sequence '{sequence.Identifier}'");
                    }

                    sequences.Add(sequence);
                    sections = sections[sequenceLength..];
                    break;
                default:
                    throw MongoWireErrors.Violation(string.Create(CultureInfo.InvariantCulture, $"OP_MSG section of unknown kind {kind}"));
            }
        }

        return body is null
            ? throw MongoWireErrors.Violation("OP_MSG has no body (kind 0) section")
            : new OpMsg(flags, body, sequences.ToImmutable());
    }

    private static OpMsgDocumentSequence ReadSequence(ReadOnlySpan<byte> bytes, out int length)
    {
        if (bytes.Length < 4)
        {
            throw MongoWireErrors.Violation("OP_MSG document sequence too short for its size field");
        }

        length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (length < 4 + 1 || length > bytes.Length)
        {
            throw MongoWireErrors.Violation(string.Create(CultureInfo.InvariantCulture, $"OP_MSG document sequence declares {length} bytes, {bytes.Length} remain"));
        }

        var content = bytes[4..length];
        var nul = content.IndexOf((byte)0);
        if (nul < 0)
        {
            throw MongoWireErrors.Violation("OP_MSG document sequence identifier is not terminated");
        }

        string identifier;
        try
        {
            identifier = new UTF8Encoding(false, true).GetString(content[..nul]);
        }
        catch (DecoderFallbackException ex)
        {
            throw MongoWireErrors.Violation("OP_MSG document sequence identifier is not UTF-8", ex);
        }

        content = content[(nul + 1)..];
        var documents = ImmutableArray.CreateBuilder<BsonDocument>();
        while (!content.IsEmpty)
        {
            documents.Add(MongoBson.ReadDocument(content, $"OP_MSG document sequence '{identifier}'", out var documentLength));
            content = content[documentLength..];
        }

        return new OpMsgDocumentSequence(identifier, documents.ToImmutable());
    }

    /// <summary>CRC-32C (Castagnoli), as OP_MSG checksums use; BitOperations uses the CPU instruction where there is one.</summary>
    internal static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}

using System.Buffers.Binary;
using System.Globalization;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace DbTls.Wire.Mongo;

/// <summary>
/// BSON documents to and from bytes with MongoDB.Bson's reader and writer and the BsonDocument serializer
/// (no class maps, nothing reflection-based). The declared length is checked against the bytes actually
/// there before MongoDB.Bson sees them, and any decoding failure becomes a protocol violation.
/// </summary>
internal static class MongoBson
{
    public static byte[] ToBytes(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var stream = new MemoryStream();
        using (var writer = new BsonBinaryWriter(stream, new BsonBinaryWriterSettings { MaxDocumentSize = MongoWireLimits.MaxBsonObjectSize + MongoWireLimits.BsonObjectSizeSlack }))
        {
            BsonDocumentSerializer.Instance.Serialize(BsonSerializationContext.CreateRoot(writer), document);
        }

        return stream.ToArray();
    }

    /// <summary>The declared length of the document at the start of <paramref name="bytes"/>, checked against what is there.</summary>
    public static int ReadDocumentLength(ReadOnlySpan<byte> bytes, string context)
    {
        if (bytes.Length < MongoWireLimits.MinBsonDocumentSize)
        {
            throw MongoWireErrors.Violation(string.Create(CultureInfo.InvariantCulture, $"{context}: {bytes.Length} bytes left, too few for a BSON document"));
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (length < MongoWireLimits.MinBsonDocumentSize)
        {
            throw MongoWireErrors.Violation(string.Create(CultureInfo.InvariantCulture, $"{context}: the BSON document declares a length of {length}"));
        }

        if (length > bytes.Length)
        {
            throw MongoWireErrors.Violation(string.Create(CultureInfo.InvariantCulture, $"{context}: the BSON document declares {length} bytes but only {bytes.Length} remain"));
        }

        if (length > MongoWireLimits.MaxBsonObjectSize + MongoWireLimits.BsonObjectSizeSlack)
        {
            throw MongoWireErrors.Violation(string.Create(CultureInfo.InvariantCulture, $"{context}: the BSON document declares {length} bytes, more than maxBsonObjectSize"));
        }

        if (bytes[length - 1] != 0)
        {
            throw MongoWireErrors.Violation($"{context}: the BSON document does not end with a zero byte where its length says it ends");
        }

        return length;
    }

    /// <summary>Decodes the document at the start of <paramref name="bytes"/>; <paramref name="length"/> is how many bytes it took.</summary>
    public static BsonDocument ReadDocument(ReadOnlySpan<byte> bytes, string context, out int length)
    {
        length = ReadDocumentLength(bytes, context);
        BsonStructure.Validate(bytes[..length], context);
        var copy = bytes[..length].ToArray();
        try
        {
            // ByteBufferStream checks a declared string or binary length against the bytes left before it
            // allocates; a MemoryStream-backed reader would allocate whatever a lying length asks for.
            using var stream = new ByteBufferStream(new ByteArrayBuffer(copy, isReadOnly: true), ownsBuffer: true);
            using var reader = new BsonBinaryReader(stream, new BsonBinaryReaderSettings { MaxDocumentSize = MongoWireLimits.MaxBsonObjectSize + MongoWireLimits.BsonObjectSizeSlack });
            var document = ReadDocument(reader);
            if (stream.Position != length)
            {
                throw MongoWireErrors.Violation(string.Create(CultureInfo.InvariantCulture, $"{context}: the BSON document's elements take {stream.Position} bytes, its header says {length}"));
            }

            return document;
        }
        catch (Exception ex) when (ex is FormatException or EndOfStreamException or BsonException or ArgumentException or InvalidOperationException or OverflowException or IOException)
        {
            // The structure walk has already refused what it knows; the decoder's own exception stays the inner
            // exception (for --verbose), its type and wording are not the server's fault to describe.
            throw MongoWireErrors.Violation($"{context}: malformed BSON (a value does not decode as its declared BSON type)", ex);
        }
    }

    /// <summary>
    /// Builds the document from the reader's tokens. BsonDocumentSerializer.Deserialize would do the same,
    /// but its deserialization context looks up the "dynamic" serializers through the reflection-based
    /// registry, which fails under NativeAOT (MissingMethodException); reading the tokens directly does not.
    /// </summary>
    private static BsonDocument ReadDocument(IBsonReader reader)
    {
        var document = new BsonDocument(allowDuplicateNames: true);
        reader.ReadStartDocument();
        while (reader.ReadBsonType() != BsonType.EndOfDocument)
        {
            var name = reader.ReadName();
            document.Add(name, ReadValue(reader));
        }

        reader.ReadEndDocument();
        return document;
    }

    private static BsonValue ReadValue(IBsonReader reader)
    {
        switch (reader.CurrentBsonType)
        {
            case BsonType.Double:
                return new BsonDouble(reader.ReadDouble());
            case BsonType.String:
                return new BsonString(reader.ReadString());
            case BsonType.Document:
                return ReadDocument(reader);
            case BsonType.Array:
                var array = new BsonArray();
                reader.ReadStartArray();
                while (reader.ReadBsonType() != BsonType.EndOfDocument)
                {
                    array.Add(ReadValue(reader));
                }

                reader.ReadEndArray();
                return array;
            case BsonType.Binary:
                return reader.ReadBinaryData();
            case BsonType.Undefined:
                reader.ReadUndefined();
                return BsonUndefined.Value;
            case BsonType.ObjectId:
                return new BsonObjectId(reader.ReadObjectId());
            case BsonType.Boolean:
                return (BsonBoolean)reader.ReadBoolean();
            case BsonType.DateTime:
                return new BsonDateTime(reader.ReadDateTime());
            case BsonType.Null:
                reader.ReadNull();
                return BsonNull.Value;
            case BsonType.RegularExpression:
                return reader.ReadRegularExpression();
            case BsonType.JavaScript:
                return new BsonJavaScript(reader.ReadJavaScript());
            case BsonType.Symbol:
                return (BsonSymbol)reader.ReadSymbol();
            case BsonType.JavaScriptWithScope:
                var code = reader.ReadJavaScriptWithScope();
                return new BsonJavaScriptWithScope(code, ReadDocument(reader));
            case BsonType.Int32:
                return new BsonInt32(reader.ReadInt32());
            case BsonType.Timestamp:
                return new BsonTimestamp(reader.ReadTimestamp());
            case BsonType.Int64:
                return new BsonInt64(reader.ReadInt64());
            case BsonType.Decimal128:
                return new BsonDecimal128(reader.ReadDecimal128());
            case BsonType.MinKey:
                reader.ReadMinKey();
                return BsonMinKey.Value;
            case BsonType.MaxKey:
                reader.ReadMaxKey();
                return BsonMaxKey.Value;
            default:
                throw new FormatException($"unsupported BSON type {reader.CurrentBsonType}");
        }
    }

    /// <summary>Decodes a whole byte array that must hold exactly one document.</summary>
    public static BsonDocument ReadSingleDocument(ReadOnlySpan<byte> bytes, string context)
    {
        var document = ReadDocument(bytes, context, out var length);
        if (length != bytes.Length)
        {
            throw MongoWireErrors.Violation(string.Create(CultureInfo.InvariantCulture, $"{context}: {bytes.Length - length} bytes follow the BSON document"));
        }

        return document;
    }
}

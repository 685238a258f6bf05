using System.Buffers.Binary;
using System.Globalization;
using System.Text.Unicode;

namespace DbTls.Wire.Mongo;

/// <summary>
/// Walks a BSON document's element structure and checks every declared length against the bytes that are
/// really there, before MongoDB.Bson decodes it. MongoDB.Bson trusts a string's or binary's length field
/// and allocates what it says, so a single lying field of a few bytes would cost hundreds of megabytes and
/// seconds; this walk is linear in the input and allocates nothing. Beyond lengths it checks only what
/// MongoDB.Bson would otherwise refuse with its own exception: UTF-8 in names and strings, UUID sizes.
/// </summary>
internal static class BsonStructure
{
    /// <summary>Deeper nesting than this is refused (the server's own limit is 100 plus a little).</summary>
    public const int MaxDepth = 128;

    public static void Validate(ReadOnlySpan<byte> document, string context)
    {
        var error = Check(document, 0);
        if (error is not null)
        {
            throw MongoWireErrors.Violation($"{context}: malformed BSON ({error})");
        }
    }

    private static string? Check(ReadOnlySpan<byte> doc, int depth)
    {
        if (depth > MaxDepth)
        {
            return "nested too deeply";
        }

        if (doc.Length < MongoWireLimits.MinBsonDocumentSize || BinaryPrimitives.ReadInt32LittleEndian(doc) != doc.Length || doc[^1] != 0)
        {
            return "a document's length field disagrees with its bytes";
        }

        var elements = doc[4..^1];
        var position = 0;
        while (position < elements.Length)
        {
            var type = elements[position++];
            var nameEnd = elements[position..].IndexOf((byte)0);
            if (nameEnd < 0)
            {
                return "an element name is not terminated";
            }

            if (!Utf8.IsValid(elements.Slice(position, nameEnd)))
            {
                return "an element name is not valid UTF-8";
            }

            position += nameEnd + 1;
            var rest = elements[position..];
            var size = ValueSize(type, rest, depth, out var problem);
            if (problem is not null)
            {
                return problem;
            }

            position += size;
        }

        return null;
    }

    private static int ValueSize(byte type, ReadOnlySpan<byte> rest, int depth, out string? problem)
    {
        problem = null;
        switch (type)
        {
            case 0x01: // double
            case 0x09: // UTC datetime
            case 0x11: // timestamp
            case 0x12: // int64
                return Fixed(8, rest, out problem);
            case 0x10: // int32
                return Fixed(4, rest, out problem);
            case 0x07: // ObjectId
                return Fixed(12, rest, out problem);
            case 0x13: // decimal128
                return Fixed(16, rest, out problem);
            case 0x08: // boolean
                return Fixed(1, rest, out problem);
            case 0x06: // undefined
            case 0x0A: // null
            case 0x7F: // max key
            case 0xFF: // min key
                return 0;
            case 0x02: // string
            case 0x0D: // JavaScript
            case 0x0E: // symbol
                return StringSize(rest, out problem);
            case 0x03: // document
            case 0x04: // array
                return EmbeddedSize(rest, depth, out problem);
            case 0x05: // binary: int32 length, subtype, bytes
                if (rest.Length < 5)
                {
                    problem = "a binary value is truncated";
                    return 0;
                }

                var length = BinaryPrimitives.ReadInt32LittleEndian(rest);
                if (length < 0 || length > rest.Length - 5)
                {
                    problem = string.Create(CultureInfo.InvariantCulture, $"a binary value declares {length} bytes, {rest.Length - 5} remain");
                    return 0;
                }

                // Subtypes 3 and 4 are UUIDs (BSON specification): 16 bytes, nothing else.
                if (rest[4] is 3 or 4 && length != 16)
                {
                    problem = string.Create(CultureInfo.InvariantCulture, $"a UUID binary value (subtype {rest[4]}) has {length} bytes instead of 16");
                    return 0;
                }

                return 5 + length;
            case 0x0B: // regex: two cstrings
                var first = rest.IndexOf((byte)0);
                var second = first < 0 ? -1 : rest[(first + 1)..].IndexOf((byte)0);
                if (second < 0)
                {
                    problem = "a regular expression is not terminated";
                    return 0;
                }

                return first + 1 + second + 1;
            case 0x0C: // DBPointer: string + 12-byte id
                var pointer = StringSize(rest, out problem);
                return problem is null ? pointer + Fixed(12, rest[pointer..], out problem) : 0;
            case 0x0F: // code with scope: int32 total, string, document
                if (rest.Length < 4)
                {
                    problem = "code with scope is truncated";
                    return 0;
                }

                var total = BinaryPrimitives.ReadInt32LittleEndian(rest);
                if (total < 4 + 5 + 5 || total > rest.Length)
                {
                    problem = "code with scope declares an impossible length";
                    return 0;
                }

                var inner = rest[4..total];
                var code = StringSize(inner, out problem);
                if (problem is not null)
                {
                    return 0;
                }

                var scope = EmbeddedSize(inner[code..], depth, out problem);
                if (problem is null && code + scope != inner.Length)
                {
                    problem = "code with scope has bytes its parts do not account for";
                }

                return total;
            default:
                problem = string.Create(CultureInfo.InvariantCulture, $"unknown element type 0x{type:X2}");
                return 0;
        }
    }

    private static int Fixed(int size, ReadOnlySpan<byte> rest, out string? problem)
    {
        problem = rest.Length < size ? "a value is truncated" : null;
        return size;
    }

    private static int StringSize(ReadOnlySpan<byte> rest, out string? problem)
    {
        problem = null;
        if (rest.Length < 4)
        {
            problem = "a string is truncated";
            return 0;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(rest);
        if (length < 1 || length > rest.Length - 4)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"a string declares {length} bytes, {rest.Length - 4} remain");
            return 0;
        }

        if (rest[4 + length - 1] != 0)
        {
            problem = "a string does not end with a zero byte";
            return 0;
        }

        if (!Utf8.IsValid(rest.Slice(4, length - 1)))
        {
            problem = "a string is not valid UTF-8";
            return 0;
        }

        return 4 + length;
    }

    private static int EmbeddedSize(ReadOnlySpan<byte> rest, int depth, out string? problem)
    {
        problem = null;
        if (rest.Length < 4)
        {
            problem = "an embedded document is truncated";
            return 0;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(rest);
        if (length < MongoWireLimits.MinBsonDocumentSize || length > rest.Length)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"an embedded document declares {length} bytes, {rest.Length} remain");
            return 0;
        }

        problem = Check(rest[..length], depth + 1);
        return length;
    }
}

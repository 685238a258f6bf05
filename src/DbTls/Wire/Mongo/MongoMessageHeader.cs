using System.Buffers.Binary;
using System.Globalization;
using DbTls.Diagnostics;

namespace DbTls.Wire.Mongo;

/// <summary>The 16-byte header of every MongoDB message (all fields little-endian int32).</summary>
internal readonly record struct MongoMessageHeader(int MessageLength, int RequestId, int ResponseTo, MongoOpCode OpCode)
{
    public const int Size = 16;

    public static MongoMessageHeader Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Size)
        {
            throw MongoWireErrors.Violation($"a message header needs {Size} bytes, got {bytes.Length}");
        }

        return new MongoMessageHeader(
            BinaryPrimitives.ReadInt32LittleEndian(bytes),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]),
            (MongoOpCode)BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]));
    }

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, MessageLength);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], RequestId);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], ResponseTo);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], (int)OpCode);
    }

    /// <summary>Checks the declared length before any buffer is sized from it.</summary>
    public void ValidateLength(int maxMessageSize)
    {
        if (MessageLength < Size)
        {
            throw MongoWireErrors.Violation(string.Create(CultureInfo.InvariantCulture, $"the message header declares a length of {MessageLength} bytes, less than the header itself"));
        }

        if (MessageLength > maxMessageSize)
        {
            throw new DbTlsException(FindingCodes.ServerMessageTooLarge,
                string.Create(CultureInfo.InvariantCulture, $"the peer announced a {MessageLength}-byte message; the limit is {maxMessageSize} bytes"));
        }
    }
}

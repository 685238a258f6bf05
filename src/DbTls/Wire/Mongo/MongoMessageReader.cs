using System.Buffers.Binary;
using System.Globalization;
using DbTls.Diagnostics;

namespace DbTls.Wire.Mongo;

/// <summary>Reads whole MongoDB messages from a stream: the header first, its length checked, then exactly that many bytes.</summary>
internal static class MongoMessageReader
{
    /// <summary>The next message, header included; null when the peer closed the stream cleanly before a new message began.</summary>
    public static async Task<byte[]?> ReadMessageAsync(Stream stream, int maxMessageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[MongoMessageHeader.Size];
        var got = await ReadAtLeastAsync(stream, header, cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            return null;
        }

        if (got < header.Length)
        {
            throw new DbTlsException(FindingCodes.ServerClosed,
                string.Create(CultureInfo.InvariantCulture, $"the connection closed in the middle of a message header ({got} of {MongoMessageHeader.Size} bytes)"));
        }

        var parsed = MongoMessageHeader.Read(header);
        parsed.ValidateLength(maxMessageSize);
        var message = new byte[parsed.MessageLength];
        header.CopyTo(message, 0);
        var body = message.AsMemory(MongoMessageHeader.Size);
        got = await ReadAtLeastAsync(stream, body, cancellationToken).ConfigureAwait(false);
        if (got < body.Length)
        {
            throw new DbTlsException(FindingCodes.ServerClosed,
                string.Create(CultureInfo.InvariantCulture, $"the connection closed in the middle of a message ({MongoMessageHeader.Size + got} of {parsed.MessageLength} bytes)"));
        }

        return message;
    }

    private static async Task<int> ReadAtLeastAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken) =>
        await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);

    internal static int PeekRequestId(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadInt32LittleEndian(message[4..]);
}

using System.Buffers.Binary;
using System.Globalization;
using DbTls.Diagnostics;

namespace DbTls.Wire.Mongo;

/// <summary>Reads whole MongoDB messages from a stream: the header first, its length checked, then exactly that many bytes.</summary>
internal static class MongoMessageReader
{
    /// <summary>The first body buffer; it doubles as bytes arrive, up to the declared length.</summary>
    internal const int InitialBufferSize = 64 * 1024;

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

        // The header's length is the peer's claim: the buffer grows with the bytes that really arrive, so that a
        // 16-byte hostile header announcing 48 MB costs a small buffer, not 48 MB.
        var message = new byte[Math.Min(parsed.MessageLength, InitialBufferSize)];
        header.CopyTo(message, 0);
        var filled = MongoMessageHeader.Size;
        while (filled < parsed.MessageLength)
        {
            if (filled == message.Length)
            {
                Array.Resize(ref message, (int)Math.Min(2L * message.Length, parsed.MessageLength));
            }

            var read = await stream.ReadAsync(message.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new DbTlsException(FindingCodes.ServerClosed,
                    string.Create(CultureInfo.InvariantCulture, $"the connection closed in the middle of a message ({filled} of {parsed.MessageLength} bytes)"));
            }

            filled += read;
        }

        return message;
    }

    private static async Task<int> ReadAtLeastAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken) =>
        await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);

    internal static int PeekRequestId(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadInt32LittleEndian(message[4..]);
}

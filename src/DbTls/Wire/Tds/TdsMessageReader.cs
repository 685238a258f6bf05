namespace DbTls.Wire.Tds;

/// <summary>
/// Reads TDS packets from a stream and reassembles multi-packet messages. Every header is checked
/// against the maximum packet size, every message against <see cref="MaxMessageLength"/>, and a
/// peer that closes in the middle of a packet is reported as such, never as a short read.
/// </summary>
internal sealed class TdsMessageReader
{
    private readonly Stream _stream;

    public TdsMessageReader(Stream stream, int maxMessageLength = DefaultMaxMessageLength, int maxPacketSize = TdsPacketHeader.MaxPacketSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketSize, TdsPacketHeader.Size + 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxMessageLength);
        _stream = stream;
        MaxMessageLength = maxMessageLength;
        MaxPacketSize = maxPacketSize;
    }

    /// <summary>Large enough for any login response or a small result set; dbtls never reads bulk data.</summary>
    public const int DefaultMaxMessageLength = 4 * 1024 * 1024;

    public int MaxMessageLength { get; set; }

    public int MaxPacketSize { get; set; }

    /// <summary>Reads one packet; null when the peer closed cleanly before its first byte.</summary>
    public async ValueTask<TdsPacket?> ReadPacketAsync(CancellationToken cancellationToken)
    {
        var headerBytes = new byte[TdsPacketHeader.Size];
        var got = await StreamReads.ReadExactOrEofAsync(_stream, headerBytes, cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            return null;
        }

        if (got < headerBytes.Length)
        {
            throw TdsErrors.Closed($"the connection closed after {got} of the {TdsPacketHeader.Size} bytes of a TDS packet header");
        }

        var header = TdsPacketHeader.Parse(headerBytes, MaxPacketSize);
        var payload = new byte[header.PayloadLength];
        got = await StreamReads.ReadExactOrEofAsync(_stream, payload, cancellationToken).ConfigureAwait(false);
        if (got < payload.Length)
        {
            throw TdsErrors.Closed($"the connection closed after {got} of the {payload.Length} payload bytes of a TDS packet of type 0x{(byte)header.Type:X2}");
        }

        return new TdsPacket(header, payload);
    }

    /// <summary>
    /// Reads packets up to and including the one with end-of-message set; null when the peer
    /// closed cleanly before the first byte of a message.
    /// </summary>
    public async ValueTask<TdsMessage?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var first = await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
        if (first is null)
        {
            return null;
        }

        return await ContinueMessageAsync(first, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes a message whose first packet the caller has already read (e.g. through TLS).</summary>
    public async ValueTask<TdsMessage> ContinueMessageAsync(TdsPacket first, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(first);
        var headers = new List<TdsPacketHeader> { first.Header };
        CheckLength(first.Payload.Length, first.Header.Type);
        if (first.Header.IsEndOfMessage)
        {
            return new TdsMessage(first.Header.Type, first.Payload, headers);
        }

        using var buffer = new MemoryStream();
        buffer.Write(first.Payload);
        while (true)
        {
            var packet = await ReadPacketAsync(cancellationToken).ConfigureAwait(false)
                ?? throw TdsErrors.Closed($"the connection closed in the middle of a TDS message of type 0x{(byte)first.Header.Type:X2} after {headers.Count} packet(s)");
            if (packet.Header.Type != first.Header.Type)
            {
                throw TdsErrors.Violation($"TDS message: packet {headers.Count + 1} has type 0x{(byte)packet.Header.Type:X2} inside a message of type 0x{(byte)first.Header.Type:X2}");
            }

            headers.Add(packet.Header);
            CheckLength(buffer.Length + packet.Payload.Length, first.Header.Type);
            buffer.Write(packet.Payload);
            if (packet.Header.IsEndOfMessage)
            {
                return new TdsMessage(first.Header.Type, buffer.ToArray(), headers);
            }
        }
    }

    private void CheckLength(long length, TdsPacketType type)
    {
        if (length > MaxMessageLength)
        {
            throw TdsErrors.TooLarge($"TDS message of type 0x{(byte)type:X2} exceeds the maximum of {MaxMessageLength} bytes");
        }
    }
}

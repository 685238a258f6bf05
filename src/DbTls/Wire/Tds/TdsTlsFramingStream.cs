using System.Buffers.Binary;

namespace DbTls.Wire.Tds;

/// <summary>
/// The transport under an SslStream in TDS 7.x: during the handshake TLS bytes travel inside TDS
/// packets (type 0x12 from the client, 0x12 or 0x04 from the server, split across packets at will);
/// after <see cref="FinishHandshake"/> they pass straight through, as SqlClient and SQL Server do.
/// <para>
/// Reads follow the TLS record layer in both modes: every record header is checked (content type,
/// version, length) so a peer that drops out of TLS is named as such, and in pass-through mode no
/// read goes past the end of the current record. That last rule is what makes login-only
/// encryption work: when the caller stops using TLS after one message, no clear-text byte behind
/// the last record has been swallowed into the SslStream's buffer.
/// </para>
/// </summary>
internal sealed class TdsTlsFramingStream : Stream
{
    /// <summary>TLS 1.2 allows 2^14 + 2048 bytes of record body; anything longer is not TLS.</summary>
    public const int MaxTlsRecordBody = 16384 + 2048;

    private const int TlsRecordHeaderLength = 5;

    private readonly Stream _inner;
    private readonly TdsTlsFramingOptions _options;
    private readonly byte[] _recordHeader = new byte[TlsRecordHeaderLength];

    // The first record header and up to two body bytes (an alert's level and description), kept so that a
    // failed handshake can be explained by what the peer actually answered.
    private readonly byte[] _opening = new byte[TlsRecordHeaderLength + 2];
    private int _openingLength;
    private readonly byte[] _packetHeader = new byte[TdsPacketHeader.Size];
    private int _recordHeaderServed = TlsRecordHeaderLength;
    private int _recordBodyRemaining;
    private int _packetRemaining;
    private byte _nextPacketId = 1;

    public TdsTlsFramingStream(Stream inner, TdsTlsFramingOptions options)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        _inner = inner;
        _options = options;
    }

    /// <summary>True until <see cref="FinishHandshake"/>: TLS bytes are wrapped in TDS packets.</summary>
    public bool IsEncapsulating { get; private set; } = true;

    public int PacketsReceived { get; private set; }

    public int PacketsSent { get; private set; }

    public int RecordsReceived { get; private set; }

    /// <summary>The packet types the peer used to carry its handshake (0x12, 0x04).</summary>
    public IReadOnlyCollection<TdsPacketType> ReceivedPacketTypes => _receivedTypes;

    private readonly HashSet<TdsPacketType> _receivedTypes = [];

    /// <summary>Stop wrapping: from now on TLS records go straight over the inner stream.</summary>
    public void FinishHandshake() => IsEncapsulating = false;

    /// <summary>
    /// The peer's first TLS record header and up to two bytes of its body (for an alert: level and description);
    /// shorter when fewer arrived.
    /// </summary>
    public ReadOnlySpan<byte> FirstRecordStart => _opening.AsSpan(0, _openingLength);

    public override bool CanRead => _inner.CanRead;

    public override bool CanWrite => _inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_recordHeaderServed < TlsRecordHeaderLength)
        {
            return ServeRecordHeader(buffer.Span);
        }

        if (_recordBodyRemaining == 0)
        {
            // At a record boundary: read and check the next record header before handing it on.
            var got = await FillFromSourceAsync(_recordHeader, cancellationToken).ConfigureAwait(false);
            if (got == 0)
            {
                return 0;
            }

            if (got < TlsRecordHeaderLength)
            {
                throw TdsErrors.Closed($"the connection closed after {got} of the 5 bytes of a TLS record header");
            }

            _recordBodyRemaining = CheckRecordHeader(_recordHeader);
            _recordHeaderServed = 0;
            RecordsReceived++;
            if (RecordsReceived == 1)
            {
                _recordHeader.CopyTo(_opening, 0);
                _openingLength = TlsRecordHeaderLength;
            }
            return ServeRecordHeader(buffer.Span);
        }

        var wanted = Math.Min(buffer.Length, _recordBodyRemaining);
        var read = await ReadSourceAsync(buffer[..wanted], cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw TdsErrors.Closed($"the connection closed with {_recordBodyRemaining} bytes of a TLS record outstanding");
        }

        if (RecordsReceived == 1 && _openingLength < _opening.Length)
        {
            var keep = Math.Min(read, _opening.Length - _openingLength);
            buffer.Span[..keep].CopyTo(_opening.AsSpan(_openingLength));
            _openingLength += keep;
        }

        _recordBodyRemaining -= read;
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!IsEncapsulating)
        {
            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // Each write becomes one TDS message: packets of at most PacketSize, the last one with EOM.
        var chunk = _options.PacketSize - TdsPacketHeader.Size;
        var remaining = buffer;
        while (!remaining.IsEmpty)
        {
            var length = Math.Min(chunk, remaining.Length);
            var last = length == remaining.Length;
            var packet = new byte[TdsPacketHeader.Size + length];
            new TdsPacketHeader(_options.OutgoingPacketType, last ? TdsPacketStatus.EndOfMessage : TdsPacketStatus.Normal, (ushort)packet.Length, 0, _nextPacketId, 0).Write(packet);
            _nextPacketId = unchecked((byte)(_nextPacketId + 1));
            remaining.Span[..length].CopyTo(packet.AsSpan(TdsPacketHeader.Size));
            await _inner.WriteAsync(packet, cancellationToken).ConfigureAwait(false);
            PacketsSent++;
            remaining = remaining[length..];
        }

        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_options.LeaveInnerOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_options.LeaveInnerOpen)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    private int ServeRecordHeader(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, TlsRecordHeaderLength - _recordHeaderServed);
        _recordHeader.AsSpan(_recordHeaderServed, count).CopyTo(destination);
        _recordHeaderServed += count;
        return count;
    }

    private int CheckRecordHeader(ReadOnlySpan<byte> header)
    {
        var contentType = header[0];
        var length = BinaryPrimitives.ReadUInt16BigEndian(header[3..]);
        var isTls = contentType is >= 20 and <= 23 && header[1] == 3 && length <= MaxTlsRecordBody;
        if (isTls)
        {
            return length;
        }

        var where = IsEncapsulating ? "inside the TLS handshake packets" : "where TLS records were expected";
        if (!IsEncapsulating && contentType == (byte)TdsPacketType.PreLogin && header[1] <= 0x1F)
        {
            // Typically TLS 1.3: the server sends session tickets after its handshake, still wrapped
            // in PRELOGIN packets, when the client has already switched to bare records.
            throw TdsErrors.PlaintextAfterTls(
                "the peer sent a PRELOGIN (0x12) packet after the TLS handshake had finished: TLS data still wrapped in TDS packets " +
                "(a TLS 1.3 post-handshake message such as a session ticket? SQL Server uses TLS 1.3 only with TDS 8.0 strict)");
        }

        var looksLikeTds = TdsPacketHeader.IsKnownType(contentType) && header[1] <= 0x1F;
        var detail = looksLikeTds
            ? $"it looks like a clear-text TDS packet of type 0x{contentType:X2}"
            : $"first bytes {Convert.ToHexString(header)}";
        var message = $"the peer sent bytes that are not a TLS record {where}: {detail}";
        throw IsEncapsulating ? TdsErrors.Violation(message) : TdsErrors.PlaintextAfterTls(message);
    }

    private async ValueTask<int> FillFromSourceAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await ReadSourceAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <summary>Bytes of the TLS stream: the payload of the current packet while wrapping, the raw transport after.</summary>
    private async ValueTask<int> ReadSourceAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_packetRemaining == 0 && IsEncapsulating)
        {
            if (!await ReadPacketHeaderAsync(cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }
        }

        if (_packetRemaining > 0)
        {
            var read = await _inner.ReadAsync(buffer[..Math.Min(buffer.Length, _packetRemaining)], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw TdsErrors.Closed($"the connection closed with {_packetRemaining} bytes of a TDS packet outstanding");
            }

            _packetRemaining -= read;
            return read;
        }

        return await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<bool> ReadPacketHeaderAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var got = await StreamReads.ReadExactOrEofAsync(_inner, _packetHeader, cancellationToken).ConfigureAwait(false);
            if (got == 0)
            {
                return false;
            }

            if (got < TdsPacketHeader.Size)
            {
                throw TdsErrors.Closed($"the connection closed after {got} of the 8 bytes of a TDS packet header during the TLS handshake");
            }

            if (_packetHeader[0] == 0x16 && _packetHeader[1] == 3)
            {
                throw TdsErrors.Violation("the peer sent a bare TLS record where TLS wrapped in TDS PRELOGIN packets was expected (TDS 8.0 strict against a TDS 7.x peer?)");
            }

            var header = TdsPacketHeader.Parse(_packetHeader, _options.MaxPacketSize);
            if (!_options.AcceptedIncomingTypes.Contains(header.Type))
            {
                throw TdsErrors.Violation($"TDS packet of type 0x{(byte)header.Type:X2} during the TLS handshake; expected {string.Join(" or ", _options.AcceptedIncomingTypes.Select(t => $"0x{(byte)t:X2}"))}");
            }

            PacketsReceived++;
            _receivedTypes.Add(header.Type);
            _packetRemaining = header.PayloadLength;
            if (_packetRemaining > 0)
            {
                return true;
            }
        }
    }
}

/// <summary>How a <see cref="TdsTlsFramingStream"/> wraps and unwraps.</summary>
internal sealed record TdsTlsFramingOptions
{
    /// <summary>The type of the packets this side sends: 0x12 in both directions for SQL Server and SqlClient.</summary>
    public TdsPacketType OutgoingPacketType { get; init; } = TdsPacketType.PreLogin;

    public IReadOnlySet<TdsPacketType> AcceptedIncomingTypes { get; init; } = new HashSet<TdsPacketType> { TdsPacketType.PreLogin };

    /// <summary>Outgoing packet size including the header: the 4096 of the pre-login phase.</summary>
    public int PacketSize { get; init; } = TdsPacketHeader.DefaultPacketSize;

    public int MaxPacketSize { get; init; } = TdsPacketHeader.MaxPacketSize;

    public bool LeaveInnerOpen { get; init; } = true;

    /// <summary>A client: sends 0x12, accepts the server's handshake in 0x12 or 0x04 packets.</summary>
    public static TdsTlsFramingOptions Client { get; } = new()
    {
        AcceptedIncomingTypes = new HashSet<TdsPacketType> { TdsPacketType.PreLogin, TdsPacketType.TabularResult },
    };

    /// <summary>A server: accepts only 0x12 from the client (MS-TDS 3.3.5.2) and answers in 0x12.</summary>
    public static TdsTlsFramingOptions Server { get; } = new();
}

namespace DbTls.Tls.Records;

/// <summary>
/// Sits between SslStream and the transport and drops TLS records of type handshake with an empty body,
/// the way OpenSSL's record layer does (ssl3_get_record skips empty records and fails with "record too small"
/// after 32 in a row). SslStream itself indexes past the end of its buffer on such records
/// (IndexOutOfRangeException in ReceiveHandshakeFrameAsync, measured on .NET 10), so without this a hostile
/// server crashes the check. Dropping them is safe: the handshake transcript hashes messages, not records.
/// Every other byte is passed on unchanged; writes go straight to the transport.
/// </summary>
internal sealed class EmptyHandshakeRecordFilter(Stream inner) : Stream
{
    /// <summary>OpenSSL's MAX_EMPTY_RECORDS: the 33rd empty record in a row is fatal.</summary>
    internal const int MaxEmptyRecordsInARow = 32;

    private readonly byte[] _header = new byte[TlsRecordHeader.Length];
    private int _headerFilled;
    private int _pendingOffset;
    private int _pendingLength;
    private int _bodyLeft;
    private int _emptyInARow;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (_pendingOffset < _pendingLength)
            {
                // The header of a record that is passed on.
                var count = Math.Min(_pendingLength - _pendingOffset, buffer.Length);
                _header.AsSpan(_pendingOffset, count).CopyTo(buffer.Span);
                _pendingOffset += count;
                return count;
            }

            if (_bodyLeft > 0)
            {
                var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, _bodyLeft)], cancellationToken).ConfigureAwait(false);
                _bodyLeft -= read;
                return read;
            }

            var got = await inner.ReadAsync(_header.AsMemory(_headerFilled), cancellationToken).ConfigureAwait(false);
            if (got == 0)
            {
                // End of stream before or inside a header: pass on what there is and let the TLS engine judge it.
                (_pendingOffset, _pendingLength, _headerFilled) = (0, _headerFilled, 0);
                if (_pendingLength == 0)
                {
                    return 0;
                }

                continue;
            }

            _headerFilled += got;
            if (!TlsRecordHeader.TryRead(_header.AsSpan(0, _headerFilled), out var header))
            {
                continue;
            }

            _headerFilled = 0;
            if (header.ContentType == TlsContentType.Handshake && header.BodyLength == 0)
            {
                if (++_emptyInARow > MaxEmptyRecordsInARow)
                {
                    throw new TlsRecordViolationException(
                        $"the server sent more than {MaxEmptyRecordsInARow} empty TLS handshake records in a row (OpenSSL: record too small)");
                }

                continue;
            }

            _emptyInARow = 0;
            _bodyLeft = header.BodyLength;
            (_pendingOffset, _pendingLength) = (0, TlsRecordHeader.Length);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}

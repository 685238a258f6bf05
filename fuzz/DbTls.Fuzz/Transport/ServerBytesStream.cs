namespace DbTls.Fuzz.Transport;

/// <summary>
/// The client's side of a connection to a server that sends exactly the fuzz input and then closes.
/// What the client writes is discarded (subclasses may look at it). Reads are served in chunks
/// whose sizes follow from the input itself, so partial reads are exercised and every run of the
/// same input splits it the same way.
/// </summary>
internal class ServerBytesStream : Stream
{
    private readonly byte[] _input;
    private readonly Random _chunks;
    private int _position;

    public ServerBytesStream(byte[] input)
    {
        _input = input;
        _chunks = new Random(input.Length * 31 + (input.Length > 0 ? input[^1] : 0));
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var (source, position) = NextSource();
        var available = source.Length - position;
        if (available <= 0 || buffer.IsEmpty)
        {
            return 0;
        }

        // Half the reads get everything that fits, the others a random short count.
        var count = Math.Min(buffer.Length, available);
        if (_chunks.Next(2) == 0)
        {
            count = 1 + _chunks.Next(count);
        }

        source.AsSpan(position, count).CopyTo(buffer);
        Advance(count);
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => OnClientWrite(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => OnClientWrite(buffer);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        OnClientWrite(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Where the next bytes come from; a subclass may serve a rewritten copy of the input.</summary>
    protected virtual (byte[] Source, int Position) NextSource() => (_input, _position);

    protected virtual void Advance(int count) => _position += count;

    protected virtual void OnClientWrite(ReadOnlySpan<byte> bytes)
    {
    }
}

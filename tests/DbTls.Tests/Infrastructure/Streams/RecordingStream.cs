namespace DbTls.Tests.Infrastructure.Streams;

/// <summary>
/// Passes traffic through and keeps a copy of every byte read (what the client sent) and, when asked,
/// of every byte written (what the server sent): the test servers' proof of what crossed the wire.
/// </summary>
internal sealed class RecordingStream(Stream inner, ByteLog received, ByteLog? sent = null) : DelegatingStream(inner)
{
    /// <summary>Records what is read into a log of its own (see <see cref="Received"/>).</summary>
    public RecordingStream(Stream inner)
        : this(inner, new ByteLog())
    {
    }

    /// <summary>Every byte read so far.</summary>
    public byte[] Received => received.ToArray();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken);
        received.Append(buffer.Span[..read]);
        return read;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        sent?.Append(buffer.Span);
        return Inner.WriteAsync(buffer, cancellationToken);
    }
}

/// <summary>A thread-safe growing byte buffer.</summary>
public sealed class ByteLog
{
    private readonly Lock _lock = new();
    private readonly MemoryStream _bytes = new();

    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            _bytes.Write(data);
        }
    }

    public byte[] ToArray()
    {
        lock (_lock)
        {
            return _bytes.ToArray();
        }
    }

    public int Length
    {
        get
        {
            lock (_lock)
            {
                return (int)_bytes.Length;
            }
        }
    }
}

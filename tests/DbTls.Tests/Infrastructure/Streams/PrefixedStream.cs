namespace DbTls.Tests.Infrastructure.Streams;

/// <summary>A stream that first returns bytes already read from the inner stream (a peeked prefix), then reads on.</summary>
internal sealed class PrefixedStream(Stream inner, byte[] prefix) : DelegatingStream(inner)
{
    private int _served;

    public override bool CanRead => true;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_served < prefix.Length)
        {
            var count = Math.Min(buffer.Length, prefix.Length - _served);
            prefix.AsSpan(_served, count).CopyTo(buffer.Span);
            _served += count;
            return ValueTask.FromResult(count);
        }

        return Inner.ReadAsync(buffer, cancellationToken);
    }
}

namespace DbTls.Wire.Postgres;

/// <summary>One framed backend message: its type byte and its body (without the length word).</summary>
internal readonly record struct BackendMessage(byte Type, ReadOnlyMemory<byte> Body)
{
    public PayloadReader Reader() => new(Body.Span, Type);
}

namespace DbTls.Policy;

/// <summary>
/// A password or key passphrase. It never prints itself: <see cref="ToString"/> is redacted so a
/// secret that ends up in a record's generated ToString, a log line or an exception message
/// cannot leak. Call <see cref="Reveal"/> only at the point where the bytes go on the wire.
/// </summary>
public sealed class Secret : IEquatable<Secret>
{
    private readonly string _value;

    public Secret(string value) => _value = value ?? throw new ArgumentNullException(nameof(value));

    public string Reveal() => _value;

    public bool IsEmpty => _value.Length == 0;

    public override string ToString() => "********";

    public bool Equals(Secret? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Secret s && Equals(s);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}

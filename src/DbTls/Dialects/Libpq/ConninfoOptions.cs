namespace DbTls.Dialects.Libpq;

/// <summary>Where a keyword's value came from; libpq fills gaps in this order.</summary>
internal enum OptionOrigin
{
    ConnectionString,
    ServiceFile,
    Environment,
    CompiledDefault,
}

internal sealed record OptionValue(string Value, OptionOrigin Origin);

/// <summary>
/// The working set of keyword values, like libpq's PQconninfoOption array: a value that is set,
/// even to the empty string, is never replaced by a later source.
/// </summary>
internal sealed class ConninfoOptions
{
    private readonly Dictionary<string, OptionValue> _values = new(StringComparer.Ordinal);

    /// <summary>Whether <c>requiressl</c> appeared in the connection string.</summary>
    public bool UsedRequireSsl { get; private set; }

    /// <summary>Stores a value from the connection string; a later one replaces an earlier one.</summary>
    public void StoreFromConnectionString(string keyword, string value)
    {
        if (string.Equals(keyword, LibpqKeywords.RequireSsl, StringComparison.Ordinal))
        {
            UsedRequireSsl = true;
        }

        var (canonical, canonicalValue) = LibpqKeywords.Canonicalize(keyword, value);
        _values[canonical] = new OptionValue(canonicalValue, OptionOrigin.ConnectionString);
    }

    /// <summary>Sets a value unless one is already set; returns whether it was set.</summary>
    public bool SetIfUnset(string keyword, string value, OptionOrigin origin)
    {
        if (_values.ContainsKey(keyword))
        {
            return false;
        }

        _values[keyword] = new OptionValue(value, origin);
        return true;
    }

    /// <summary>Replaces a value (libpq does this only for the sslrootcert=system default sslmode).</summary>
    public void Replace(string keyword, string value, OptionOrigin origin) => _values[keyword] = new OptionValue(value, origin);

    public bool IsSet(string keyword) => _values.ContainsKey(keyword);

    /// <summary>The value, or null when unset (libpq's NULL).</summary>
    public string? Get(string keyword) => _values.TryGetValue(keyword, out var v) ? v.Value : null;

    /// <summary>The value, or null when unset or empty (libpq treats both as "not given" for most keywords).</summary>
    public string? GetNonEmpty(string keyword) => _values.TryGetValue(keyword, out var v) && v.Value.Length > 0 ? v.Value : null;

    public OptionOrigin? OriginOf(string keyword) => _values.TryGetValue(keyword, out var v) ? v.Origin : null;
}

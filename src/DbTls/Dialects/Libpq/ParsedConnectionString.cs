using System.Collections.Immutable;

namespace DbTls.Dialects.Libpq;

/// <summary>
/// One keyword and its (unquoted, decoded) value as written in the connection string, with where the
/// value's raw text sits in the input so that secrets can be masked in place.
/// </summary>
internal sealed record ParsedSetting(string Keyword, string Value, int RawStart, int RawLength);

/// <summary>What the keyword/value or URI syntax yielded, in the order written; a later setting wins.</summary>
internal sealed record ParsedConnectionString(ImmutableArray<ParsedSetting> Settings, bool IsUri)
{
    /// <summary>Set when a URI said <c>ssl=true</c>, which libpq reads as sslmode=require (JDBC compatibility).</summary>
    public bool UsedSslTrue { get; init; }
}

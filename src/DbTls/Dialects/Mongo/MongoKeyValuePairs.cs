namespace DbTls.Dialects.Mongo;

/// <summary>
/// The <c>KEY:VALUE,KEY:VALUE</c> lists of the URI options spec (authMechanismProperties, readPreferenceTags).
/// Each pair splits at its first ':' so a value may hold colons (a URL, say); a comma always separates pairs,
/// which is why an escaped comma inside a value makes the option invalid.
/// </summary>
internal static class MongoKeyValuePairs
{
    /// <summary>The pairs in order of appearance (a repeated key keeps its last value), or null when a pair has no key or no ':'.</summary>
    public static Dictionary<string, string>? TryParse(string text)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text.Length == 0)
        {
            return pairs;
        }

        foreach (var range in text.AsSpan().Split(','))
        {
            var pair = text.AsSpan()[range];
            var colon = pair.IndexOf(':');
            if (colon <= 0)
            {
                return null;
            }

            pairs[pair[..colon].ToString()] = pair[(colon + 1)..].ToString();
        }

        return pairs;
    }
}

namespace DbTls.Conversion;

/// <summary>The key/value list every renderer builds before writing it in its dialect's syntax.</summary>
internal static class RenderedSettings
{
    /// <summary>Adds the setting only when it has a value: an empty value would mean "default" in some dialects and an error in others.</summary>
    public static void AddIfSet(this List<(string Key, string Value)> settings, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            settings.Add((key, value));
        }
    }
}

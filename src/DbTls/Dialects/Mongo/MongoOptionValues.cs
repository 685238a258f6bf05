using System.Globalization;

namespace DbTls.Dialects.Mongo;

/// <summary>Typed reads of the validated option values (lower-cased keys); a value that does not read as the type counts as absent.</summary>
internal static class MongoOptionValues
{
    internal static string? Get(Dictionary<string, string> values, string key) => values.GetValueOrDefault(key);

    internal static bool? GetBool(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var v) ? MongoUriOptionTable.ParseBoolean(v) : null;

    internal static int? GetInt(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var v) && int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    internal static TimeSpan? GetMilliseconds(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms) : null;
}

using DbTls.Dialects.Tds;

namespace DbTls.Dialects.Jdbc;

/// <summary>Reads of the parsed URL properties (case-insensitive names): strings as given, booleans as the driver reads them.</summary>
internal static class JdbcValues
{
    internal static string? Get(Dictionary<string, string> values, string name) => values.GetValueOrDefault(name);

    internal static bool Bool(Dictionary<string, string> values, string name)
    {
        var value = Get(values, name);
        if (value is null)
        {
            return false;
        }

        // isBooleanPropertyOn: only true/false, case-insensitive.
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        throw TdsDialectRules.Invalid($"{name}=\"{value}\" is not valid: use true or false");
    }
}

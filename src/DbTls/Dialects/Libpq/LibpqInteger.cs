using System.Globalization;

namespace DbTls.Dialects.Libpq;

/// <summary>
/// libpq's parse_int_param: strtol semantics (leading white space and a sign allowed), trailing
/// white space allowed, anything else or an out-of-range number is an error.
/// </summary>
internal static class LibpqInteger
{
    public static int Parse(string value, string keyword)
    {
        var text = value.AsSpan().TrimStart(" \t\n\v\f\r").TrimEnd(" \t\n\v\f\r");
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result)
            || text.IsEmpty
            || !char.IsAsciiDigit(text[^1]))
        {
            throw LibpqErrors.Invalid(
                $"invalid integer value \"{value}\" for connection option \"{keyword}\"",
                $"Give {keyword} as a whole number.");
        }

        return result;
    }
}

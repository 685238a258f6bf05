using DbTls.Diagnostics;

namespace DbTls.Dialects.Jdbc;

/// <summary>Masks secret properties of a JDBC URL by splitting it with the driver's own URL grammar.</summary>
internal static class JdbcRedactor
{
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        List<JdbcUrlProperty> properties;
        try
        {
            properties = JdbcUrlParser.Parse(url);
        }
        catch (DbTlsException)
        {
            return Redaction.Unparsable(url);
        }

        var ranges = new List<(int Start, int End)>();
        var afterSecret = false;
        foreach (var property in properties)
        {
            if (JdbcProperties.IsSecret(property.Name))
            {
                ranges.Add((property.ValueStart, property.ValueEnd));
                afterSecret = true;
            }
            else if (afterSecret && JdbcProperties.Normalize(property.Name) is null)
            {
                // An unknown name right after a secret may be the tail of a password that contained ';'.
                ranges.Add((property.NameStart, property.ValueEnd));
            }
            else
            {
                afterSecret = false;
            }
        }

        return Redaction.MaskRanges(url, ranges);
    }
}

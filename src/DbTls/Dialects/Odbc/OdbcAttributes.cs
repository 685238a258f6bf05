using DbTls.Dialects.Tds;

namespace DbTls.Dialects.Odbc;

/// <summary>One <c>key=value</c> of an ODBC connection string, with where its value lies (for redaction).</summary>
internal sealed record OdbcAttribute(string Key, string Value, int ValueStart, int ValueEnd);

/// <summary>
/// Splits an ODBC connection string (SQLDriverConnect): attributes separated by <c>;</c>, keys case-insensitive and
/// trimmed, a value either plain up to the next <c>;</c> or in braces, where <c>}}</c> stands for <c>}</c> (so a
/// password may hold <c>;</c>).
/// </summary>
internal static class OdbcAttributes
{
    public static List<OdbcAttribute> Parse(string text)
    {
        var result = new List<OdbcAttribute>();
        var position = 0;
        while (position < text.Length)
        {
            var equals = text.IndexOf('=', position);
            var semicolon = text.IndexOf(';', position);
            if (equals < 0 || (semicolon >= 0 && semicolon < equals))
            {
                if (text.AsSpan(position, (semicolon < 0 ? text.Length : semicolon) - position).IsWhiteSpace())
                {
                    position = semicolon < 0 ? text.Length : semicolon + 1;
                    continue;
                }

                throw TdsDialectRules.Invalid("an ODBC attribute has no '=' (attributes are key=value, separated by ';')");
            }

            var key = text[position..equals].Trim();
            var start = equals + 1;
            while (start < text.Length && text[start] == ' ')
            {
                start++;
            }

            string value;
            int end;
            if (start < text.Length && text[start] == '{')
            {
                (value, end) = Braced(text, start);
                var after = end;
                while (after < text.Length && text[after] == ' ')
                {
                    after++;
                }

                if (after < text.Length && text[after] != ';')
                {
                    throw TdsDialectRules.Invalid($"unexpected text after the braced value of '{key}'");
                }

                position = after + 1;
            }
            else
            {
                end = semicolon < 0 ? text.Length : semicolon;
                value = text[start..end].TrimEnd();
                position = end + 1;
            }

            result.Add(new OdbcAttribute(key, value, start, end));
        }

        return result;
    }

    private static (string Value, int End) Braced(string text, int open)
    {
        var builder = new System.Text.StringBuilder();
        for (var i = open + 1; i < text.Length; i++)
        {
            if (text[i] != '}')
            {
                builder.Append(text[i]);
            }
            else if (i + 1 < text.Length && text[i + 1] == '}')
            {
                builder.Append('}');
                i++;
            }
            else
            {
                return (builder.ToString(), i + 1);
            }
        }

        throw TdsDialectRules.Invalid("a braced value is not closed with '}'");
    }
}

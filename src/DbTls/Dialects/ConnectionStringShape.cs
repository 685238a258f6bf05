namespace DbTls.Dialects;

/// <summary>
/// What detection looks at, read once for every dialect: the trimmed text, the first keyword of a
/// keyword/value string and whether a semicolon or white space ends its value (libpq separates pairs with
/// white space, the .NET drivers with semicolons).
/// </summary>
public sealed class ConnectionStringShape
{
    private ConnectionStringShape(string text, string? firstKey, bool semicolonFirst)
    {
        Text = text;
        FirstKey = firstKey;
        SemicolonEndsFirstValue = semicolonFirst;
    }

    /// <summary>The connection string without leading white space.</summary>
    public string Text { get; }

    /// <summary>The text before the first '=', trimmed; null when there is no keyword.</summary>
    public string? FirstKey { get; }

    /// <summary>Whether the first value ends at a semicolon rather than at white space (quoted values skipped).</summary>
    public bool SemicolonEndsFirstValue { get; }

    public static ConnectionStringShape Of(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var text = connectionString.TrimStart();
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals <= 0
            ? new ConnectionStringShape(text, null, false)
            : new ConnectionStringShape(text, text[..equals].Trim(), SemicolonFirst(text.AsSpan(equals + 1)));
    }

    /// <summary>Whether the text starts with a scheme or prefix, compared as drivers do (ASCII, case-insensitive).</summary>
    public bool StartsWith(string prefix) => Text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

    private static bool SemicolonFirst(ReadOnlySpan<char> value)
    {
        var i = 0;
        while (i < value.Length && char.IsWhiteSpace(value[i]))
        {
            i++;
        }

        if (i < value.Length && value[i] is '\'' or '"')
        {
            var quote = value[i];
            i++;
            while (i < value.Length && value[i] != quote)
            {
                // libpq escapes with a backslash inside single quotes.
                i += value[i] == '\\' ? 2 : 1;
            }

            i++;
        }

        for (; i < value.Length; i++)
        {
            if (value[i] == ';')
            {
                return true;
            }

            if (char.IsWhiteSpace(value[i]))
            {
                return false;
            }
        }

        return false;
    }
}

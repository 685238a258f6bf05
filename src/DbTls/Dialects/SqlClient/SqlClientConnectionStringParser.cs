using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Dialects.SqlClient;

/// <summary>One <c>key=value</c> pair as SqlClient's parser splits it.</summary>
/// <param name="Key">The key, trailing white space removed, lower-cased (invariant), <c>==</c> unescaped to <c>=</c>.</param>
/// <param name="Value">The value: unquoted values trimmed, quoted values unescaped; null for <c>key=;</c>.</param>
/// <param name="ValueStart">Index of the value in the original string (including its quote), or -1 when there is none.</param>
/// <param name="ValueEnd">Index just past the value (including its closing quote).</param>
internal readonly record struct SqlClientPair(string Key, string? Value, int ValueStart, int ValueEnd);

/// <summary>
/// Splits a connection string into pairs with the grammar of SqlClient's DbConnectionOptions
/// (non-ODBC rules): <c>;</c> separates pairs, keys are case-insensitive and may contain <c>==</c> for
/// a literal <c>=</c>, values may be quoted with <c>'</c> or <c>"</c> (a doubled quote stands for one), an
/// unquoted value is trimmed and must not end in a quote, control characters outside quotes are errors.
/// </summary>
internal static class SqlClientConnectionStringParser
{
    private enum State
    {
        NothingYet,
        Key,
        KeyEqual,
        KeyEnd,
        UnquotedValue,
        DoubleQuoteValue,
        DoubleQuoteValueQuote,
        SingleQuoteValue,
        SingleQuoteValueQuote,
        QuotedValueEnd,
        NullTermination,
    }

    public static List<SqlClientPair> Parse(string connectionString)
    {
        var pairs = new List<SqlClientPair>();
        var position = 0;
        var buffer = new StringBuilder();
        while (position < connectionString.Length)
        {
            var pair = Next(connectionString, ref position, buffer);
            if (pair is null)
            {
                break;
            }

            pairs.Add(pair.Value);
        }

        return pairs;
    }

    private static SqlClientPair? Next(string s, ref int position, StringBuilder buffer)
    {
        var start = position;
        buffer.Clear();
        string? key = null;
        string? value = null;
        int valueStart = -1, valueEnd = -1;
        var state = State.NothingYet;
        var current = '\0';

        for (; position < s.Length; ++position)
        {
            current = s[position];
            switch (state)
            {
                case State.NothingYet:
                    if (current == ';' || char.IsWhiteSpace(current))
                    {
                        continue;
                    }

                    if (current == '\0')
                    {
                        state = State.NullTermination;
                        continue;
                    }

                    if (char.IsControl(current))
                    {
                        throw Syntax(start);
                    }

                    start = position;
                    if (current != '=')
                    {
                        state = State.Key;
                        break;
                    }

                    state = State.KeyEqual;
                    continue;

                case State.Key:
                    if (current == '=')
                    {
                        state = State.KeyEqual;
                        continue;
                    }

                    if (!char.IsWhiteSpace(current) && char.IsControl(current))
                    {
                        throw Syntax(start);
                    }

                    break;

                case State.KeyEqual:
                    if (current == '=')
                    {
                        // "==" inside a key is an escaped '='.
                        state = State.Key;
                        break;
                    }

                    key = KeyName(buffer);
                    if (key.Length == 0)
                    {
                        throw Syntax(start);
                    }

                    buffer.Clear();
                    state = State.KeyEnd;
                    goto case State.KeyEnd;

                case State.KeyEnd:
                    if (char.IsWhiteSpace(current))
                    {
                        continue;
                    }

                    if (current == '\'')
                    {
                        state = State.SingleQuoteValue;
                        valueStart = position;
                        continue;
                    }

                    if (current == '"')
                    {
                        state = State.DoubleQuoteValue;
                        valueStart = position;
                        continue;
                    }

                    if (current == ';' || current == '\0')
                    {
                        goto Exit;
                    }

                    if (char.IsControl(current))
                    {
                        throw Syntax(start);
                    }

                    state = State.UnquotedValue;
                    valueStart = position;
                    break;

                case State.UnquotedValue:
                    if (char.IsWhiteSpace(current))
                    {
                        break;
                    }

                    if (char.IsControl(current) || current == ';')
                    {
                        goto Exit;
                    }

                    break;

                case State.DoubleQuoteValue:
                    if (current == '"')
                    {
                        state = State.DoubleQuoteValueQuote;
                        continue;
                    }

                    if (current == '\0')
                    {
                        throw Syntax(start);
                    }

                    break;

                case State.DoubleQuoteValueQuote:
                    if (current == '"')
                    {
                        state = State.DoubleQuoteValue;
                        break;
                    }

                    value = buffer.ToString();
                    valueEnd = position;
                    state = State.QuotedValueEnd;
                    goto case State.QuotedValueEnd;

                case State.SingleQuoteValue:
                    if (current == '\'')
                    {
                        state = State.SingleQuoteValueQuote;
                        continue;
                    }

                    if (current == '\0')
                    {
                        throw Syntax(start);
                    }

                    break;

                case State.SingleQuoteValueQuote:
                    if (current == '\'')
                    {
                        state = State.SingleQuoteValue;
                        break;
                    }

                    value = buffer.ToString();
                    valueEnd = position;
                    state = State.QuotedValueEnd;
                    goto case State.QuotedValueEnd;

                case State.QuotedValueEnd:
                    if (char.IsWhiteSpace(current))
                    {
                        continue;
                    }

                    if (current == ';')
                    {
                        goto Exit;
                    }

                    if (current == '\0')
                    {
                        state = State.NullTermination;
                        continue;
                    }

                    // Text after a closing quote, e.g. an unbalanced quote inside the value.
                    throw Syntax(start);

                case State.NullTermination:
                    if (current == '\0' || char.IsWhiteSpace(current))
                    {
                        continue;
                    }

                    throw Syntax(position);
            }

            buffer.Append(current);
        }

    Exit:
        switch (state)
        {
            case State.Key:
            case State.DoubleQuoteValue:
            case State.SingleQuoteValue:
                // A key without '=' or an unterminated quote.
                throw Syntax(start);

            case State.KeyEqual:
                key = KeyName(buffer);
                if (key.Length == 0)
                {
                    throw Syntax(start);
                }

                break;

            case State.UnquotedValue:
                value = buffer.ToString().Trim();
                valueEnd = valueStart + value.Length;
                if (value[^1] is '\'' or '"')
                {
                    throw Syntax(start);
                }

                break;

            case State.DoubleQuoteValueQuote:
            case State.SingleQuoteValueQuote:
                value = buffer.ToString();
                valueEnd = position;
                break;
        }

        if (current == ';' && position < s.Length)
        {
            position++;
        }

        return key is null ? null : new SqlClientPair(key, value, valueStart, valueEnd);
    }

    private static string KeyName(StringBuilder buffer)
    {
        var count = buffer.Length;
        while (count > 0 && char.IsWhiteSpace(buffer[count - 1]))
        {
            count--;
        }

        return buffer.ToString(0, count).ToLowerInvariant();
    }

    private static DbTlsException Syntax(int index) => new(
        FindingCodes.ConfigInvalid,
        $"connection string syntax error at index {index.ToString(System.Globalization.CultureInfo.InvariantCulture)} (SqlClient rules: key=value pairs separated by ';', values with ';' or leading/trailing quotes must be quoted with ' or \", a quote inside is doubled)");
}

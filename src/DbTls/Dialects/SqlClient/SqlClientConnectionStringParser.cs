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
        var reader = new PairReader(connectionString);
        var position = 0;
        while (position < connectionString.Length)
        {
            var pair = reader.Next(ref position);
            if (pair is null)
            {
                break;
            }

            pairs.Add(pair.Value);
        }

        return pairs;
    }

    /// <summary>What a character does to the pair being read.</summary>
    private enum Step
    {
        /// <summary>The character is syntax (a separator, a quote, white space between parts): not part of a key or value.</summary>
        Skip,

        /// <summary>The character belongs to the key or value being read.</summary>
        Keep,

        /// <summary>The pair ends before this character (a ';' or a control character after a value).</summary>
        End,
    }

    /// <summary>
    /// Reads one pair at a time, character by character, with one method per state of SqlClient's own state machine
    /// (DbConnectionOptions.GetKeyValuePair), so that each rule stays next to the state it belongs to.
    /// </summary>
    private sealed class PairReader(string text)
    {
        private readonly StringBuilder _buffer = new();
        private State _state;
        private int _start;
        private string? _key;
        private string? _value;
        private int _valueStart;
        private int _valueEnd;

        public SqlClientPair? Next(ref int position)
        {
            _buffer.Clear();
            _state = State.NothingYet;
            _start = position;
            _key = null;
            _value = null;
            _valueStart = _valueEnd = -1;
            var current = '\0';
            for (; position < text.Length; ++position)
            {
                current = text[position];
                var step = Read(current, position);
                if (step == Step.End)
                {
                    break;
                }

                if (step == Step.Keep)
                {
                    _buffer.Append(current);
                }
            }

            Finish(position);
            if (current == ';' && position < text.Length)
            {
                position++;
            }

            return _key is null ? null : new SqlClientPair(_key, _value, _valueStart, _valueEnd);
        }

        private Step Read(char c, int position) => _state switch
        {
            State.NothingYet => BeforeKey(c, position),
            State.Key => InKey(c),
            State.KeyEqual => AfterEqualSign(c, position),
            State.KeyEnd => BeforeValue(c, position),
            State.UnquotedValue => InUnquotedValue(c),
            State.DoubleQuoteValue => InQuotedValue(c, '"', State.DoubleQuoteValueQuote),
            State.SingleQuoteValue => InQuotedValue(c, '\'', State.SingleQuoteValueQuote),
            State.DoubleQuoteValueQuote => AfterQuote(c, '"', State.DoubleQuoteValue, position),
            State.SingleQuoteValueQuote => AfterQuote(c, '\'', State.SingleQuoteValue, position),
            State.QuotedValueEnd => AfterQuotedValue(c),
            _ => AfterNul(c, position),
        };

        private Step BeforeKey(char c, int position)
        {
            if (c == ';' || char.IsWhiteSpace(c))
            {
                return Step.Skip;
            }

            if (c == '\0')
            {
                _state = State.NullTermination;
                return Step.Skip;
            }

            if (char.IsControl(c))
            {
                throw Syntax(_start);
            }

            _start = position;
            _state = c == '=' ? State.KeyEqual : State.Key;
            return c == '=' ? Step.Skip : Step.Keep;
        }

        private Step InKey(char c)
        {
            if (c == '=')
            {
                _state = State.KeyEqual;
                return Step.Skip;
            }

            return !char.IsWhiteSpace(c) && char.IsControl(c) ? throw Syntax(_start) : Step.Keep;
        }

        private Step AfterEqualSign(char c, int position)
        {
            if (c == '=')
            {
                // "==" inside a key is an escaped '='.
                _state = State.Key;
                return Step.Keep;
            }

            _key = KeyName(_buffer);
            if (_key.Length == 0)
            {
                throw Syntax(_start);
            }

            _buffer.Clear();
            _state = State.KeyEnd;
            return BeforeValue(c, position);
        }

        private Step BeforeValue(char c, int position)
        {
            if (char.IsWhiteSpace(c))
            {
                return Step.Skip;
            }

            if (c is '\'' or '"')
            {
                _state = c == '"' ? State.DoubleQuoteValue : State.SingleQuoteValue;
                _valueStart = position;
                return Step.Skip;
            }

            if (c is ';' or '\0')
            {
                return Step.End;
            }

            if (char.IsControl(c))
            {
                throw Syntax(_start);
            }

            _state = State.UnquotedValue;
            _valueStart = position;
            return Step.Keep;
        }

        private static Step InUnquotedValue(char c) =>
            !char.IsWhiteSpace(c) && (char.IsControl(c) || c == ';') ? Step.End : Step.Keep;

        private Step InQuotedValue(char c, char quote, State afterQuote)
        {
            if (c == quote)
            {
                _state = afterQuote;
                return Step.Skip;
            }

            return c == '\0' ? throw Syntax(_start) : Step.Keep;
        }

        /// <summary>After a quote inside a quoted value: a second quote is a literal one, anything else closes the value.</summary>
        private Step AfterQuote(char c, char quote, State inValue, int position)
        {
            if (c == quote)
            {
                _state = inValue;
                return Step.Keep;
            }

            _value = _buffer.ToString();
            _valueEnd = position;
            _state = State.QuotedValueEnd;
            return AfterQuotedValue(c);
        }

        private Step AfterQuotedValue(char c)
        {
            if (char.IsWhiteSpace(c))
            {
                return Step.Skip;
            }

            if (c == ';')
            {
                return Step.End;
            }

            if (c == '\0')
            {
                _state = State.NullTermination;
                return Step.Skip;
            }

            // Text after a closing quote, e.g. an unbalanced quote inside the value.
            throw Syntax(_start);
        }

        private static Step AfterNul(char c, int position) =>
            c == '\0' || char.IsWhiteSpace(c) ? Step.Skip : throw Syntax(position);

        /// <summary>Where the string or the pair ended: what the state at that point makes of the pair.</summary>
        private void Finish(int position)
        {
            switch (_state)
            {
                case State.Key:
                case State.DoubleQuoteValue:
                case State.SingleQuoteValue:
                    // A key without '=' or an unterminated quote.
                    throw Syntax(_start);

                case State.KeyEqual:
                    _key = KeyName(_buffer);
                    if (_key.Length == 0)
                    {
                        throw Syntax(_start);
                    }

                    break;

                case State.UnquotedValue:
                    _value = _buffer.ToString().Trim();
                    _valueEnd = _valueStart + _value.Length;
                    if (_value[^1] is '\'' or '"')
                    {
                        throw Syntax(_start);
                    }

                    break;

                case State.DoubleQuoteValueQuote:
                case State.SingleQuoteValueQuote:
                    _value = _buffer.ToString();
                    _valueEnd = position;
                    break;
            }
        }
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

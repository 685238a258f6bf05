using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Dialects.Jdbc;

/// <summary>One property of a JDBC URL.</summary>
/// <param name="Name">The name as written (trimmed); the URL's server part yields <c>serverName</c>, <c>instanceName</c> and <c>portNumber</c>.</param>
/// <param name="Value">The value: plain values trimmed, <c>{...}</c> values verbatim with <c>}}</c> unescaped.</param>
/// <param name="ValueStart">Index of the value in the URL (including an opening brace); -1 for the server part.</param>
/// <param name="ValueEnd">Index just past the value (including the closing brace).</param>
/// <param name="NameStart">Index of the first character of the name; -1 for the server part.</param>
internal readonly record struct JdbcUrlProperty(string Name, string Value, int ValueStart, int ValueEnd, int NameStart = -1);

/// <summary>
/// Splits <c>jdbc:sqlserver://[serverName[\instanceName][:portNumber]][;property=value[;property=value]]</c>
/// with the state machine of the Microsoft JDBC driver (Util.parseUrl): the server part ends at <c>;</c>,
/// <c>:</c> or <c>\</c>; property names are never escaped; a value starting with <c>{</c> runs to the
/// matching <c>}</c> (<c>}}</c> stands for <c>}</c>) and may contain <c>;</c>; other values are trimmed.
/// </summary>
internal static class JdbcUrlParser
{
    public const string Prefix = "jdbc:sqlserver://";

    private enum State
    {
        Start,
        ServerName,
        Port,
        InstanceName,
        EscapedValueStart,
        EscapedValueEnd,
        Value,
        Name,
    }

    public static List<JdbcUrlProperty> Parse(string url)
    {
        // The driver's acceptsURL is a case-sensitive prefix test.
        if (!url.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw Invalid($"a JDBC URL for SQL Server starts with \"{Prefix}\" (case-sensitive)");
        }

        var reader = new UrlReader(url);
        for (var i = Prefix.Length; i < url.Length; i++)
        {
            i = reader.Read(i);
        }

        return reader.End();
    }

    /// <summary>
    /// The driver's state machine (Util.parseUrl), one method per state so that each rule stays next to its state:
    /// the server part (name, \instance, :port), then name=value properties, plain or in braces.
    /// </summary>
    private sealed class UrlReader(string url)
    {
        private readonly List<JdbcUrlProperty> _properties = [];
        private readonly StringBuilder _result = new();
        private readonly StringBuilder _name = new();
        private readonly StringBuilder _value = new();
        private State _state = State.Start;
        private int _valueStart = -1;
        private int _nameStart = -1;

        /// <summary>Reads the character at <paramref name="i"/>; returns the index of the last character it consumed.</summary>
        public int Read(int i)
        {
            var ch = url[i];
            switch (_state)
            {
                case State.Start:
                    _state = ch == ';' ? State.Name : State.ServerName;
                    if (ch != ';')
                    {
                        _result.Append(ch);
                    }

                    break;
                case State.ServerName:
                    InServerName(ch);
                    break;
                case State.Port:
                    InPort(ch);
                    break;
                case State.InstanceName:
                    InInstanceName(ch);
                    break;
                case State.Name:
                    InName(ch, i);
                    break;
                case State.Value:
                    InValue(ch, i);
                    break;
                case State.EscapedValueStart:
                    return InBracedValue(ch, i);
                case State.EscapedValueEnd:
                    AfterBracedValue(ch);
                    break;
            }

            return i;
        }

        /// <summary>The URL ended: what the state at that point makes of the last part.</summary>
        public List<JdbcUrlProperty> End()
        {
            switch (_state)
            {
                case State.ServerName:
                    AddServerName(_result.ToString().Trim());
                    break;
                case State.Port:
                    Add(JdbcProperties.PortNumber, _result.ToString().Trim());
                    break;
                case State.InstanceName:
                    Add(JdbcProperties.InstanceName, _result.ToString().Trim());
                    break;
                case State.Value:
                    _properties.Add(Plain(_name, _value, _valueStart, url.Length, _nameStart));
                    break;
                case State.Name when _name.ToString().Trim().Length > 0:
                    throw NoValue(_properties, _name);
                case State.EscapedValueStart:
                    throw Invalid($"the value of \"{_name.ToString().Trim()}\" opens '{{' but never closes it");
            }

            return _properties;
        }

        private void Add(string name, string value) => _properties.Add(new JdbcUrlProperty(name, value, -1, -1));

        private void AddServerName(string server)
        {
            if (server.Length > 0)
            {
                Add(JdbcProperties.ServerName, server);
            }
        }

        private void InServerName(char ch)
        {
            if (ch is not (';' or ':' or '\\'))
            {
                _result.Append(ch);
                return;
            }

            var server = _result.ToString().Trim();
            if (server.Contains('=', StringComparison.Ordinal))
            {
                throw Invalid($"the server name \"{server}\" contains '=': properties must follow a ';'");
            }

            AddServerName(server);
            _result.Clear();
            _state = ch switch { ';' => State.Name, ':' => State.Port, _ => State.InstanceName };
        }

        private void InPort(char ch)
        {
            if (ch != ';')
            {
                _result.Append(ch);
                return;
            }

            Add(JdbcProperties.PortNumber, _result.ToString().Trim());
            _result.Clear();
            _state = State.Name;
        }

        private void InInstanceName(char ch)
        {
            if (ch is not (';' or ':'))
            {
                _result.Append(ch);
                return;
            }

            // The driver lower-cases the instance name here (but not when the URL ends inside it).
            Add(JdbcProperties.InstanceName, _result.ToString().Trim().ToLowerInvariant());
            _result.Clear();
            _state = ch == ';' ? State.Name : State.Port;
        }

        private void InName(char ch, int i)
        {
            if (ch == '=')
            {
                if (_name.ToString().Trim().Length == 0)
                {
                    throw Invalid("a property has an empty name");
                }

                _state = State.Value;
                _valueStart = i + 1;
            }
            else if (ch == ';')
            {
                if (_name.ToString().Trim().Length > 0)
                {
                    throw NoValue(_properties, _name);
                }
            }
            else
            {
                if (_name.Length == 0)
                {
                    _nameStart = i;
                }

                _name.Append(ch);
            }
        }

        private void InValue(char ch, int i)
        {
            if (ch == ';')
            {
                _properties.Add(Plain(_name, _value, _valueStart, i, _nameStart));
                _name.Clear();
                _value.Clear();
                _state = State.Name;
            }
            else if (ch == '{')
            {
                if (_value.ToString().Trim().Length > 0)
                {
                    throw Invalid($"the value of \"{_name.ToString().Trim()}\" has text before '{{'");
                }

                _value.Clear();
                _valueStart = i;
                _state = State.EscapedValueStart;
            }
            else
            {
                _value.Append(ch);
            }
        }

        /// <summary>Inside braces: <c>}}</c> is one <c>}</c> (consuming two characters), a lone <c>}</c> closes the value.</summary>
        private int InBracedValue(char ch, int i)
        {
            if (ch == '}' && i + 1 < url.Length && url[i + 1] == '}')
            {
                _value.Append('}');
                return i + 1;
            }

            if (ch == '}')
            {
                _properties.Add(new JdbcUrlProperty(_name.ToString().Trim(), _value.ToString(), _valueStart, i + 1, _nameStart));
                _name.Clear();
                _value.Clear();
                _state = State.EscapedValueEnd;
            }
            else
            {
                _value.Append(ch);
            }

            return i;
        }

        private void AfterBracedValue(char ch)
        {
            if (ch == ';')
            {
                _state = State.Name;
            }
            else if (ch != ' ')
            {
                throw Invalid("only spaces may follow a '}' before the next ';'");
            }
        }
    }

    private static JdbcUrlProperty Plain(StringBuilder name, StringBuilder value, int start, int end, int nameStart)
    {
        // Plain values are trimmed; the redaction range covers the trimmed text only.
        var raw = value.ToString();
        var leading = raw.Length - raw.TrimStart().Length;
        var trimmed = raw.Trim();
        return new JdbcUrlProperty(name.ToString().Trim(), trimmed, start + leading, start + leading + trimmed.Length, nameStart);
    }

    private static DbTlsException NoValue(List<JdbcUrlProperty> properties, StringBuilder name) =>
        // A ';' inside an unbraced password splits it: the tail must not be echoed.
        properties.Count > 0 && JdbcProperties.IsSecret(properties[^1].Name)
            ? Invalid("text without '=' follows a secret: a value containing ';' must be written in braces, e.g. password={a;b}")
            : Invalid($"property \"{name.ToString().Trim()}\" has no '=' and value");

    private static DbTlsException Invalid(string reason) =>
        new(FindingCodes.ConfigInvalid, $"JDBC URL is not valid: {reason}");
}

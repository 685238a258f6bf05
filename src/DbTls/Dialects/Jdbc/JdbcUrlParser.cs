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

        var properties = new List<JdbcUrlProperty>();
        var result = new StringBuilder();
        var name = new StringBuilder();
        var value = new StringBuilder();
        var state = State.Start;
        var valueStart = -1;
        var nameStart = -1;
        var offset = Prefix.Length;
        for (var i = offset; i < url.Length; i++)
        {
            var ch = url[i];
            switch (state)
            {
                case State.Start:
                    if (ch == ';')
                    {
                        state = State.Name;
                    }
                    else
                    {
                        result.Append(ch);
                        state = State.ServerName;
                    }

                    break;

                case State.ServerName:
                    if (ch is ';' or ':' or '\\')
                    {
                        var server = result.ToString().Trim();
                        if (server.Contains('=', StringComparison.Ordinal))
                        {
                            throw Invalid($"the server name \"{server}\" contains '=': properties must follow a ';'");
                        }

                        if (server.Length > 0)
                        {
                            properties.Add(new JdbcUrlProperty(JdbcProperties.ServerName, server, -1, -1));
                        }

                        result.Clear();
                        state = ch switch { ';' => State.Name, ':' => State.Port, _ => State.InstanceName };
                    }
                    else
                    {
                        result.Append(ch);
                    }

                    break;

                case State.Port:
                    if (ch == ';')
                    {
                        properties.Add(new JdbcUrlProperty(JdbcProperties.PortNumber, result.ToString().Trim(), -1, -1));
                        result.Clear();
                        state = State.Name;
                    }
                    else
                    {
                        result.Append(ch);
                    }

                    break;

                case State.InstanceName:
                    if (ch is ';' or ':')
                    {
                        // The driver lower-cases the instance name here (but not when the URL ends inside it).
                        properties.Add(new JdbcUrlProperty(JdbcProperties.InstanceName, result.ToString().Trim().ToLowerInvariant(), -1, -1));
                        result.Clear();
                        state = ch == ';' ? State.Name : State.Port;
                    }
                    else
                    {
                        result.Append(ch);
                    }

                    break;

                case State.Name:
                    if (ch == '=')
                    {
                        if (name.ToString().Trim().Length == 0)
                        {
                            throw Invalid("a property has an empty name");
                        }

                        state = State.Value;
                        valueStart = i + 1;
                    }
                    else if (ch == ';')
                    {
                        if (name.ToString().Trim().Length > 0)
                        {
                            throw NoValue(properties, name);
                        }
                    }
                    else
                    {
                        if (name.Length == 0)
                        {
                            nameStart = i;
                        }

                        name.Append(ch);
                    }

                    break;

                case State.Value:
                    if (ch == ';')
                    {
                        properties.Add(Plain(name, value, valueStart, i, nameStart));
                        name.Clear();
                        value.Clear();
                        state = State.Name;
                    }
                    else if (ch == '{')
                    {
                        if (value.ToString().Trim().Length > 0)
                        {
                            throw Invalid($"the value of \"{name.ToString().Trim()}\" has text before '{{'");
                        }

                        value.Clear();
                        valueStart = i;
                        state = State.EscapedValueStart;
                    }
                    else
                    {
                        value.Append(ch);
                    }

                    break;

                case State.EscapedValueStart:
                    if (ch == '}' && i + 1 < url.Length && url[i + 1] == '}')
                    {
                        value.Append('}');
                        i++;
                    }
                    else if (ch == '}')
                    {
                        properties.Add(new JdbcUrlProperty(name.ToString().Trim(), value.ToString(), valueStart, i + 1, nameStart));
                        name.Clear();
                        value.Clear();
                        state = State.EscapedValueEnd;
                    }
                    else
                    {
                        value.Append(ch);
                    }

                    break;

                case State.EscapedValueEnd:
                    if (ch == ';')
                    {
                        state = State.Name;
                    }
                    else if (ch != ' ')
                    {
                        throw Invalid("only spaces may follow a '}' before the next ';'");
                    }

                    break;
            }
        }

        switch (state)
        {
            case State.ServerName:
                var server = result.ToString().Trim();
                if (server.Length > 0)
                {
                    properties.Add(new JdbcUrlProperty(JdbcProperties.ServerName, server, -1, -1));
                }

                break;
            case State.Port:
                properties.Add(new JdbcUrlProperty(JdbcProperties.PortNumber, result.ToString().Trim(), -1, -1));
                break;
            case State.InstanceName:
                properties.Add(new JdbcUrlProperty(JdbcProperties.InstanceName, result.ToString().Trim(), -1, -1));
                break;
            case State.Value:
                properties.Add(Plain(name, value, valueStart, url.Length, nameStart));
                break;
            case State.Name:
                if (name.ToString().Trim().Length > 0)
                {
                    throw NoValue(properties, name);
                }

                break;
            case State.EscapedValueStart:
                throw Invalid($"the value of \"{name.ToString().Trim()}\" opens '{{' but never closes it");
        }

        return properties;
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

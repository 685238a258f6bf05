using System.Text;
using DbTls.Cli.Dialects;

namespace DbTls.Cli.Security;

/// <summary>A connection string with its secrets masked, and the secret values that were masked.</summary>
internal sealed record RedactedConnectionString(string Text, IReadOnlyList<string> Secrets);

/// <summary>
/// Masks passwords in connection strings the CLI has to show before (or without) a dialect parser
/// having done so: strings that failed to parse and dialects that are recognised but not run yet.
/// It errs on the side of masking: every key that looks like it holds a secret is masked.
/// </summary>
internal static class ConnectionStringRedactor
{
    public const string Mask = "********";

    public static RedactedConnectionString Redact(string connectionString, ConnectionStringDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var secrets = new List<string>();
        var text = dialect switch
        {
            ConnectionStringDialect.Unknown => connectionString.Length == 0 ? "" : "(not shown: format not recognised)",
            ConnectionStringDialect.Libpq when !IsUri(connectionString) => RedactConninfo(connectionString, secrets),
            ConnectionStringDialect.Libpq or ConnectionStringDialect.MongoDb => RedactUri(connectionString, secrets),
            ConnectionStringDialect.Jdbc => RedactJdbc(connectionString, secrets),
            _ => RedactSemicolonPairs(connectionString, 0, secrets),
        };
        return new RedactedConnectionString(text, secrets);
    }

    /// <summary>Whether a keyword names a secret in any of the supported drivers.</summary>
    public static bool IsSecretKey(string key)
    {
        var k = key.Trim();
        return k.Contains("password", StringComparison.OrdinalIgnoreCase)
            || k.Contains("passwd", StringComparison.OrdinalIgnoreCase)
            || k.Contains("secret", StringComparison.OrdinalIgnoreCase)
            || k.Equals("pwd", StringComparison.OrdinalIgnoreCase)
            || k.Equals("scram_client_key", StringComparison.OrdinalIgnoreCase)
            || k.Equals("scram_server_key", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsUri(string s) => s.TrimStart().Contains("://", StringComparison.Ordinal);

    /// <summary>libpq keyword/value: pairs separated by white space, values optionally in single quotes with backslash escapes.</summary>
    private static string RedactConninfo(string s, List<string> secrets)
    {
        var sb = new StringBuilder(s.Length);
        var i = 0;
        while (i < s.Length)
        {
            if (char.IsWhiteSpace(s[i]))
            {
                sb.Append(s[i++]);
                continue;
            }

            var keyStart = i;
            while (i < s.Length && s[i] != '=' && !char.IsWhiteSpace(s[i]))
            {
                i++;
            }

            var key = s[keyStart..i];
            sb.Append(key);
            while (i < s.Length && char.IsWhiteSpace(s[i]))
            {
                sb.Append(s[i++]);
            }

            if (i >= s.Length || s[i] != '=')
            {
                continue;
            }

            sb.Append(s[i++]);
            while (i < s.Length && char.IsWhiteSpace(s[i]))
            {
                sb.Append(s[i++]);
            }

            var valueStart = i;
            var value = new StringBuilder();
            if (i < s.Length && s[i] == '\'')
            {
                i++;
                while (i < s.Length && s[i] != '\'')
                {
                    if (s[i] == '\\' && i + 1 < s.Length)
                    {
                        i++;
                    }

                    value.Append(s[i++]);
                }

                i = Math.Min(i + 1, s.Length);
            }
            else
            {
                while (i < s.Length && !char.IsWhiteSpace(s[i]))
                {
                    if (s[i] == '\\' && i + 1 < s.Length)
                    {
                        i++;
                    }

                    value.Append(s[i++]);
                }
            }

            if (IsSecretKey(key))
            {
                AddSecret(secrets, value.ToString());
                AddSecret(secrets, s[valueStart..i]);
                sb.Append(Mask);
            }
            else
            {
                sb.Append(s, valueStart, i - valueStart);
            }
        }

        return sb.ToString();
    }

    /// <summary>URIs: the password in the user info and secret query parameters.</summary>
    private static string RedactUri(string s, List<string> secrets)
    {
        var schemeEnd = s.IndexOf("://", StringComparison.Ordinal);
        var authorityStart = schemeEnd + 3;
        var authorityEnd = s.IndexOfAny(['/', '?'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = s.Length;
        }

        var sb = new StringBuilder(s.Length);
        sb.Append(s, 0, authorityStart);
        var authority = s[authorityStart..authorityEnd];
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                var password = userInfo[(colon + 1)..];
                AddSecret(secrets, password);
                AddSecret(secrets, PercentDecode(password));
                sb.Append(userInfo, 0, colon + 1).Append(Mask);
            }
            else
            {
                sb.Append(userInfo);
            }

            sb.Append(authority, at, authority.Length - at);
        }
        else
        {
            sb.Append(authority);
        }

        var query = s.IndexOf('?', authorityEnd);
        if (query < 0)
        {
            sb.Append(s, authorityEnd, s.Length - authorityEnd);
            return sb.ToString();
        }

        sb.Append(s, authorityEnd, query + 1 - authorityEnd);
        var pairs = s[(query + 1)..].Split('&');
        for (var p = 0; p < pairs.Length; p++)
        {
            if (p > 0)
            {
                sb.Append('&');
            }

            var eq = pairs[p].IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0 && IsSecretKey(PercentDecode(pairs[p][..eq])))
            {
                var value = pairs[p][(eq + 1)..];
                AddSecret(secrets, value);
                AddSecret(secrets, PercentDecode(value));
                sb.Append(pairs[p], 0, eq + 1).Append(Mask);
            }
            else
            {
                sb.Append(pairs[p]);
            }
        }

        return sb.ToString();
    }

    /// <summary>jdbc:sqlserver://host[:port][;key=value]...: properties follow the first semicolon.</summary>
    private static string RedactJdbc(string s, List<string> secrets)
    {
        var semicolon = s.IndexOf(';', StringComparison.Ordinal);
        if (semicolon < 0)
        {
            return s;
        }

        // A user:password@ part is not JDBC syntax, but mask it if someone wrote one.
        var head = s[..semicolon];
        var at = head.LastIndexOf('@');
        var schemeEnd = head.IndexOf("://", StringComparison.Ordinal);
        if (at > schemeEnd && schemeEnd >= 0)
        {
            head = RedactUri(head, secrets);
        }

        return head + RedactSemicolonPairs(s, semicolon, secrets);
    }

    /// <summary>
    /// SqlClient/JDBC/Npgsql style: <c>key=value;</c> pairs; values may be quoted with <c>"</c> or
    /// <c>'</c> (doubled to escape) or, in JDBC, with braces.
    /// </summary>
    private static string RedactSemicolonPairs(string s, int start, List<string> secrets)
    {
        var sb = new StringBuilder(s.Length - start);
        var i = start;
        while (i < s.Length)
        {
            if (s[i] == ';')
            {
                sb.Append(s[i++]);
                continue;
            }

            var keyStart = i;
            while (i < s.Length && s[i] != '=' && s[i] != ';')
            {
                i++;
            }

            var key = s[keyStart..i];
            sb.Append(key);
            if (i >= s.Length || s[i] != '=')
            {
                continue;
            }

            sb.Append(s[i++]);
            var valueStart = i;
            while (i < s.Length && s[i] == ' ')
            {
                i++;
            }

            if (i < s.Length && s[i] is '"' or '\'' or '{')
            {
                var close = s[i] == '{' ? '}' : s[i];
                i++;
                while (i < s.Length)
                {
                    if (s[i] == close)
                    {
                        if (i + 1 < s.Length && s[i + 1] == close)
                        {
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    i++;
                }

                while (i < s.Length && s[i] != ';')
                {
                    i++;
                }
            }
            else
            {
                while (i < s.Length && s[i] != ';')
                {
                    i++;
                }
            }

            var raw = s[valueStart..i];
            if (IsSecretKey(key))
            {
                AddSecret(secrets, raw);
                AddSecret(secrets, Unquote(raw.Trim()));
                sb.Append(Mask);
            }
            else
            {
                sb.Append(raw);
            }
        }

        return sb.ToString();
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0])
        {
            var q = value[0].ToString();
            return value[1..^1].Replace(q + q, q, StringComparison.Ordinal);
        }

        return value.Length >= 2 && value[0] == '{' && value[^1] == '}'
            ? value[1..^1].Replace("}}", "}", StringComparison.Ordinal)
            : value;
    }

    private static string PercentDecode(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return value;
        }
    }

    private static void AddSecret(List<string> secrets, string value)
    {
        if (value.Length > 0 && !secrets.Contains(value))
        {
            secrets.Add(value);
        }
    }
}

using System.Collections.Immutable;
using System.Text;

namespace DbTls.Dialects.Libpq;

/// <summary>
/// The <c>keyword = value</c> syntax of libpq (fe-connect.c, conninfo_parse): keywords end at
/// white space or '='; a value is either a run of non-space characters or a single-quoted string;
/// a backslash escapes the next character in both forms.
/// </summary>
internal static class ConninfoKeyValueParser
{
    public static ParsedConnectionString Parse(string conninfo)
    {
        var settings = ImmutableArray.CreateBuilder<ParsedSetting>();
        var i = 0;
        var previousWasSecret = false;
        while (i < conninfo.Length)
        {
            if (IsSpace(conninfo[i]))
            {
                i++;
                continue;
            }

            var nameStart = i;
            while (i < conninfo.Length && conninfo[i] != '=' && !IsSpace(conninfo[i]))
            {
                i++;
            }

            var name = conninfo[nameStart..i];
            while (i < conninfo.Length && IsSpace(conninfo[i]))
            {
                i++;
            }

            if (i >= conninfo.Length || conninfo[i] != '=')
            {
                // After a password an unquoted space ends the value, so the "keyword" here may be
                // the rest of the password: never echo it then.
                throw LibpqErrors.Invalid(
                    previousWasSecret
                        ? "missing \"=\" after \"********\" in connection info string (the text right after a secret value; quote values that contain spaces)"
                        : $"missing \"=\" after \"{name}\" in connection info string",
                    "Write every setting as keyword=value, and quote values with spaces in single quotes: password='a b'.");
            }

            i++;
            while (i < conninfo.Length && IsSpace(conninfo[i]))
            {
                i++;
            }

            var valueStart = i;
            var value = new StringBuilder();
            if (i < conninfo.Length && conninfo[i] == '\'')
            {
                i++;
                while (true)
                {
                    if (i >= conninfo.Length)
                    {
                        throw LibpqErrors.Invalid(
                            "unterminated quoted string in connection info string",
                            "Close the single-quoted value; write a quote inside a value as \\' and a backslash as \\\\.");
                    }

                    var c = conninfo[i];
                    if (c == '\\')
                    {
                        i++;
                        if (i < conninfo.Length)
                        {
                            value.Append(conninfo[i++]);
                        }

                        continue;
                    }

                    i++;
                    if (c == '\'')
                    {
                        break;
                    }

                    value.Append(c);
                }
            }
            else
            {
                while (i < conninfo.Length && !IsSpace(conninfo[i]))
                {
                    if (conninfo[i] == '\\')
                    {
                        i++;
                        if (i < conninfo.Length)
                        {
                            value.Append(conninfo[i++]);
                        }
                    }
                    else
                    {
                        value.Append(conninfo[i++]);
                    }
                }
            }

            if (!LibpqKeywords.TryGet(LibpqKeywords.Canonicalize(name, "").Keyword, out _))
            {
                throw LibpqErrors.Invalid(
                    // Named as psql names it, except right after a secret value where it may be the tail of an unquoted
                    // password; there it is named only when it is a misspelt keyword (which a password tail hardly is).
                    KeywordSuggestion.For(name) is { } meant
                        ? $"invalid connection option \"{name}\" (did you mean \"{meant}\"?)"
                        : previousWasSecret
                            ? "invalid connection option \"********\" (the text right after a secret value; quote values that contain spaces)"
                            : $"invalid connection option \"{name}\"",
                    "Check the keyword's spelling against the libpq documentation (Parameter Key Words).");
            }

            settings.Add(new ParsedSetting(name, value.ToString(), valueStart, i - valueStart));
            previousWasSecret = LibpqKeywords.IsSecret(name);
        }

        return new ParsedConnectionString(settings.ToImmutable(), IsUri: false);
    }

    /// <summary>C isspace() in the C locale, which is what libpq's parser tests.</summary>
    internal static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';
}

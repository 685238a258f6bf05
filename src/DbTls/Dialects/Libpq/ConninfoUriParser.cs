using System.Collections.Immutable;
using System.Text;

namespace DbTls.Dialects.Libpq;

/// <summary>
/// libpq connection URIs (fe-connect.c, conninfo_uri_parse_options):
/// <c>postgresql://[user[:password]@][host][:port][,...][/dbname][?keyword=value&amp;...]</c>,
/// IPv6 hosts in brackets, every part percent-decoded.
/// </summary>
internal static class ConninfoUriParser
{
    private const string Designator = "postgresql://";
    private const string ShortDesignator = "postgres://";

    /// <summary>The length of the URI prefix, or 0 when the string is not a URI (libpq's uri_prefix_length).</summary>
    public static int PrefixLength(string connectionString) =>
        connectionString.StartsWith(Designator, StringComparison.Ordinal) ? Designator.Length
        : connectionString.StartsWith(ShortDesignator, StringComparison.Ordinal) ? ShortDesignator.Length
        : 0;

    public static ParsedConnectionString Parse(string uri)
    {
        var start = PrefixLength(uri);
        if (start == 0)
        {
            throw LibpqErrors.Invalid("invalid URI: it must start with postgresql:// or postgres://");
        }

        var settings = ImmutableArray.CreateBuilder<ParsedSetting>();
        var p = ParseUserInfo(uri, start, settings);

        // One or more netloc[:port] pairs separated by commas. libpq joins them into the host and
        // port lists; dbtls rejects lists later with its own message.
        var hosts = new StringBuilder();
        var ports = new StringBuilder();
        char terminator;
        while (true)
        {
            int hostStart;
            int hostEnd;
            if (p < uri.Length && uri[p] == '[')
            {
                hostStart = ++p;
                while (p < uri.Length && uri[p] != ']')
                {
                    p++;
                }

                if (p >= uri.Length)
                {
                    throw LibpqErrors.Invalid($"end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"{Shown(uri)}\"");
                }

                if (p == hostStart)
                {
                    throw LibpqErrors.Invalid($"IPv6 host address may not be empty in URI: \"{Shown(uri)}\"");
                }

                hostEnd = p++;
                if (p < uri.Length && uri[p] is not (':' or '/' or '?' or ','))
                {
                    throw LibpqErrors.Invalid($"unexpected character \"{uri[p]}\" at position {p + 1} in URI (expected \":\" or \"/\"): \"{Shown(uri)}\"");
                }
            }
            else
            {
                hostStart = p;
                while (p < uri.Length && uri[p] is not (':' or '/' or '?' or ','))
                {
                    p++;
                }

                hostEnd = p;
            }

            hosts.Append(uri, hostStart, hostEnd - hostStart);
            terminator = At(uri, p);
            if (terminator == ':')
            {
                var portStart = ++p;
                while (p < uri.Length && uri[p] is not ('/' or '?' or ','))
                {
                    p++;
                }

                ports.Append(uri, portStart, p - portStart);
                terminator = At(uri, p);
            }

            if (terminator != ',')
            {
                break;
            }

            p++;
            hosts.Append(',');
            ports.Append(',');
        }

        // libpq would take the text after a second '@' as the host, and the text after a '/' in
        // the user info as port and database, so part of a password with a raw '@' or '/' would
        // end up in host names, ports and error messages. dbtls refuses such URIs without echoing them.
        if (hosts.ToString().Contains('@', StringComparison.Ordinal)
            || (terminator == '/' && uri.AsSpan(p + 1, (uri.IndexOf('?', p + 1) is var q and >= 0 ? q : uri.Length) - p - 1).Contains('@')))
        {
            throw AmbiguousAt();
        }

        if (hosts.Length > 0)
        {
            settings.Add(new ParsedSetting(LibpqKeywords.Host, PercentDecoder.Decode(hosts.ToString(), secret: false), -1, 0));
        }

        if (ports.Length > 0)
        {
            settings.Add(new ParsedSetting(LibpqKeywords.Port, PercentDecoder.Decode(ports.ToString(), secret: false), -1, 0));
        }

        if (terminator == '/')
        {
            var dbStart = ++p;
            while (p < uri.Length && uri[p] != '?')
            {
                p++;
            }

            // An empty dbname is left unset so that PGDATABASE still applies, as in libpq.
            if (p > dbStart)
            {
                settings.Add(new ParsedSetting(LibpqKeywords.DbName, PercentDecoder.Decode(uri[dbStart..p], secret: false), dbStart, p - dbStart));
            }

            terminator = At(uri, p);
        }

        var usedSslTrue = false;
        if (terminator == '?')
        {
            usedSslTrue = ParseQuery(uri, p + 1, settings);
        }

        return new ParsedConnectionString(settings.ToImmutable(), IsUri: true) { UsedSslTrue = usedSslTrue };
    }

    /// <summary>Reads <c>user[:password]@</c> when an '@' comes before the first '/'; returns where the host starts.</summary>
    private static int ParseUserInfo(string uri, int start, ImmutableArray<ParsedSetting>.Builder settings)
    {
        var p = start;
        while (p < uri.Length && uri[p] != '@' && uri[p] != '/')
        {
            p++;
        }

        if (p >= uri.Length || uri[p] != '@')
        {
            return start;
        }

        var at = p;
        var userEnd = start;
        while (userEnd < at && uri[userEnd] != ':')
        {
            userEnd++;
        }

        if (userEnd > start)
        {
            settings.Add(new ParsedSetting(LibpqKeywords.User, PercentDecoder.Decode(uri[start..userEnd], secret: false), start, userEnd - start));
        }

        if (userEnd < at)
        {
            var passwordStart = userEnd + 1;
            if (at > passwordStart)
            {
                settings.Add(new ParsedSetting(LibpqKeywords.Password, PercentDecoder.Decode(uri[passwordStart..at], secret: true), passwordStart, at - passwordStart));
            }
        }

        return at + 1;
    }

    /// <summary>The <c>keyword=value&amp;...</c> query (conninfo_uri_parse_params). Returns whether ssl=true was seen.</summary>
    private static bool ParseQuery(string uri, int p, ImmutableArray<ParsedSetting>.Builder settings)
    {
        var usedSslTrue = false;
        var previousWasSecret = false;
        while (p < uri.Length)
        {
            var keywordStart = p;
            var equals = -1;
            int end;
            while (true)
            {
                if (p < uri.Length && uri[p] == '=')
                {
                    if (equals >= 0)
                    {
                        throw LibpqErrors.Invalid($"extra key/value separator \"=\" in URI query parameter: \"{ShownAfter(previousWasSecret, uri[keywordStart..equals])}\"");
                    }

                    equals = p++;
                }
                else if (p >= uri.Length || uri[p] == '&')
                {
                    end = p;
                    if (p < uri.Length)
                    {
                        p++;
                    }

                    if (equals < 0)
                    {
                        throw LibpqErrors.Invalid($"missing key/value separator \"=\" in URI query parameter: \"{ShownAfter(previousWasSecret, uri[keywordStart..end])}\"");
                    }

                    break;
                }
                else
                {
                    p++;
                }
            }

            var keyword = PercentDecoder.Decode(uri[keywordStart..equals], secret: false);
            var value = PercentDecoder.Decode(uri[(equals + 1)..end], LibpqKeywords.IsSecret(keyword));

            // libpq's JDBC compatibility: ssl=true means sslmode=require; any other ssl value is unknown.
            if (string.Equals(keyword, "ssl", StringComparison.Ordinal) && string.Equals(value, "true", StringComparison.Ordinal))
            {
                keyword = LibpqKeywords.SslMode;
                value = "require";
                usedSslTrue = true;
            }

            if (!LibpqKeywords.TryGet(LibpqKeywords.Canonicalize(keyword, value).Keyword, out _))
            {
                throw LibpqErrors.Invalid(
                    $"invalid URI query parameter: \"{ShownAfter(previousWasSecret, keyword)}\"",
                    "Check the parameter's spelling against the libpq documentation (Parameter Key Words).");
            }

            settings.Add(new ParsedSetting(keyword, value, equals + 1, end - equals - 1));
            previousWasSecret = LibpqKeywords.IsSecret(keyword);
        }

        return usedSslTrue;
    }

    private static Exception AmbiguousAt() => LibpqErrors.Invalid(
        "invalid URI: an \"@\" after the host or in the database name (not shown: it may be part of a password)",
        "Percent-encode \"@\" as %40, \"/\" as %2F and \":\" as %3A in the user name, the password and the database name.");

    /// <summary>A parameter right after a secret one may be the rest of a password with a raw '&amp;': never echo it.</summary>
    private static string ShownAfter(bool previousWasSecret, string text) => previousWasSecret ? "********" : text;

    private static char At(string s, int index) => index < s.Length ? s[index] : '\0';

    private static string Shown(string uri) => ConnectionStringRedactor.RedactUriBestEffort(uri);
}

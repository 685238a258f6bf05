using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Dialects.Libpq;

/// <summary>Masks passwords (and every other secret keyword) in a connection string for display.</summary>
internal static class ConnectionStringRedactor
{
    public const string Mask = "********";

    /// <summary>The input with the raw text of every secret value replaced by the mask.</summary>
    public static string Redact(string input, ParsedConnectionString parsed)
    {
        var spans = parsed.Settings
            .Where(s => s.RawStart >= 0 && s.RawLength > 0 && LibpqKeywords.IsSecret(s.Keyword))
            .OrderBy(s => s.RawStart)
            .ToList();
        var builder = new StringBuilder(input.Length);
        var position = 0;
        foreach (var span in spans)
        {
            if (span.RawStart < position)
            {
                continue;
            }

            builder.Append(input, position, span.RawStart - position).Append(Mask);
            position = span.RawStart + span.RawLength;
        }

        return builder.Append(input, position, input.Length - position).ToString();
    }

    /// <summary>
    /// Masks what may be a password in a URI that does not parse: everything between the first ':'
    /// after the scheme and the last '@' (a password can hold raw '/', '?' or '@' that confuse any
    /// stricter reading), and the values of secret query parameters after that. It may mask more
    /// than the password, never less. Used for URIs echoed in errors and for unparsable input.
    /// </summary>
    public static string RedactUriBestEffort(string uri)
    {
        var start = ConninfoUriParser.PrefixLength(uri);
        var builder = new StringBuilder(uri.Length);
        var rest = start;
        var lastAt = uri.LastIndexOf('@');
        var colon = lastAt > start ? uri.IndexOf(':', start, lastAt - start) : -1;
        if (colon >= 0)
        {
            builder.Append(uri, 0, colon + 1).Append(Mask);
            rest = lastAt;
        }
        else
        {
            builder.Append(uri, 0, start);
        }

        var query = uri.IndexOf('?', Math.Max(rest, start));
        if (query < 0)
        {
            return builder.Append(uri, rest, uri.Length - rest).ToString();
        }

        builder.Append(uri, rest, query + 1 - rest);
        var parameters = uri[(query + 1)..].Split('&');
        for (var i = 0; i < parameters.Length; i++)
        {
            if (i > 0)
            {
                builder.Append('&');
            }

            var parameter = parameters[i];
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0 && LibpqKeywords.IsSecret(DecodeLeniently(parameter[..equals])))
            {
                builder.Append(parameter, 0, equals + 1).Append(Mask);
            }
            else
            {
                builder.Append(parameter);
            }
        }

        return builder.ToString();
    }

    /// <summary>A connection string safe to show even when it does not parse.</summary>
    public static string RedactForDisplay(string connectionString)
    {
        try
        {
            var parsed = ConninfoUriParser.PrefixLength(connectionString) > 0
                ? ConninfoUriParser.Parse(connectionString)
                : ConninfoKeyValueParser.Parse(connectionString);
            return Redact(connectionString, parsed);
        }
        catch (DbTlsException)
        {
            if (ConninfoUriParser.PrefixLength(connectionString) > 0)
            {
                return RedactUriBestEffort(connectionString);
            }

            // A keyword/value string that does not parse cannot be split reliably; hide it whole
            // when it might hold a secret.
            return LibpqKeywords.InOrder.Any(k => k.IsSecret && connectionString.Contains(k.Name, StringComparison.OrdinalIgnoreCase))
                ? "(not shown: the connection string does not parse and may contain a secret)"
                : connectionString;
        }
    }

    private static string DecodeLeniently(string raw)
    {
        try
        {
            return PercentDecoder.Decode(raw, secret: false);
        }
        catch (DbTlsException)
        {
            return raw;
        }
    }
}

using System.Collections.Immutable;
using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Dialects.Pgjdbc;

/// <summary>One <c>name=value</c> of the query, with where its value lies in the URL (for redaction).</summary>
internal sealed record PgjdbcUrlProperty(string Name, string Value, int NameStart, int ValueStart, int ValueEnd);

/// <summary>One <c>host[:port]</c> of the URL's comma-separated list.</summary>
internal sealed record PgjdbcHost(string Host, int Port);

/// <summary>
/// A <c>jdbc:postgresql:</c> URL split the way pgjdbc 42.x's <c>Driver.parseURL</c> splits it: <c>//hosts/db</c> or a bare
/// database name, then <c>&amp;</c>-separated properties whose values are URL-decoded (<c>+</c> is a space) and whose
/// names are case-sensitive. A URL parseURL refuses makes DriverManager answer "No suitable driver found".
/// </summary>
internal sealed record PgjdbcUrl(ImmutableArray<PgjdbcHost> Hosts, string? Database, ImmutableArray<PgjdbcUrlProperty> Properties)
{
    public const string Prefix = "jdbc:postgresql:";

    /// <summary>The last value given for a property (a later one replaces an earlier one, as in java.util.Properties), or null.</summary>
    public string? Get(string name) => Properties.LastOrDefault(p => p.Name == name)?.Value;

    public static PgjdbcUrl Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var question = url.IndexOf('?', StringComparison.Ordinal);
        var server = question < 0 ? url : url[..question];
        if (!server.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw Refused($"the URL must start with \"{Prefix}\"");
        }

        server = server[Prefix.Length..];
        var hosts = ImmutableArray.Create(new PgjdbcHost("localhost", 5432));
        string? database = null;
        if (server is "//" or "///")
        {
            // Host, port and database all default.
        }
        else if (server.StartsWith("//", StringComparison.Ordinal))
        {
            server = server[2..];
            if (server.Count(c => c == '/') != 1)
            {
                throw Refused(server.Contains('/', StringComparison.Ordinal) ? "the URL contains too many / characters" : "the URL must contain a / at the end of the host or port");
            }

            var slash = server.IndexOf('/', StringComparison.Ordinal);
            if (slash < server.Length - 1)
            {
                database = Decode(server[(slash + 1)..]);
            }

            hosts = [.. server[..slash].Split(',').Select(ParseHost)];
        }
        else if (server.StartsWith('/'))
        {
            throw Refused("a single / after jdbc:postgresql: is neither //host nor a database name");
        }
        else
        {
            database = Decode(server);
        }

        return new PgjdbcUrl(hosts, database, question < 0 ? [] : ParseQuery(url, question + 1));
    }

    private static PgjdbcHost ParseHost(string address)
    {
        var colon = address.LastIndexOf(':');
        if (colon < 0 || address.LastIndexOf(']') > colon)
        {
            return new PgjdbcHost(address, 5432);
        }

        var port = address[(colon + 1)..];
        if (!int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw Refused($"invalid port \"{port}\"");
        }

        return new PgjdbcHost(colon == 0 ? "localhost" : address[..colon], number);
    }

    private static ImmutableArray<PgjdbcUrlProperty> ParseQuery(string url, int start)
    {
        var properties = ImmutableArray.CreateBuilder<PgjdbcUrlProperty>();
        var position = start;
        while (position <= url.Length)
        {
            var end = url.IndexOf('&', position);
            end = end < 0 ? url.Length : end;
            if (end > position)
            {
                var equals = url.IndexOf('=', position, end - position);
                properties.Add(equals < 0
                    ? new PgjdbcUrlProperty(url[position..end], "", position, end, end)
                    : new PgjdbcUrlProperty(url[position..equals], Decode(url[(equals + 1)..end]), position, equals + 1, end));
            }

            position = end + 1;
        }

        return properties.ToImmutable();
    }

    /// <summary>java.net.URLDecoder.decode(s, UTF-8): <c>+</c> is a space, <c>%XX</c> a byte; a malformed escape refuses the URL.</summary>
    internal static string Decode(string text)
    {
        if (!text.Contains('%', StringComparison.Ordinal) && !text.Contains('+', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%')
            {
                while (i < text.Length && text[i] == '%')
                {
                    if (i + 2 >= text.Length || !byte.TryParse(text.AsSpan(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var b))
                    {
                        throw Refused("a value holds a malformed %-escape (URLDecoder refuses it)");
                    }

                    bytes.Add(b);
                    i += 3;
                }

                result.Append(Encoding.UTF8.GetString([.. bytes]));
                bytes.Clear();
                i--;
            }
            else
            {
                result.Append(text[i] == '+' ? ' ' : text[i]);
            }
        }

        return result.ToString();
    }

    private static DbTlsException Refused(string why) => new(
        FindingCodes.ConfigInvalid,
        $"pgjdbc does not accept this URL ({why}); DriverManager answers \"No suitable driver found\"",
        "Write jdbc:postgresql://host[:port][,host2[:port2]...]/database?property=value&...");
}

using DbTls.Diagnostics;

namespace DbTls.Dialects.NodePostgres;

/// <summary>
/// A <c>postgres://</c> URI as pg-connection-string 2.14 reads it through the WHATWG URL parser: user and password from
/// the user-info (percent-decoded), the host without IPv6 brackets, the database from the path, and every query
/// parameter as <c>URLSearchParams</c> decodes it (<c>+</c> is a space, the last of a repeated name wins). Query
/// parameters <c>host</c>, <c>port</c>, <c>user</c> and <c>password</c> take precedence over the URI's own parts.
/// </summary>
internal sealed class NodePostgresUri
{
    private static readonly string[] Schemes = ["postgres://", "postgresql://"];

    private NodePostgresUri(Dictionary<string, string> parameters) => Parameters = parameters;

    public IReadOnlyDictionary<string, string> Parameters { get; }

    public string? User { get; private init; }

    public string? Password { get; private init; }

    public string? Host { get; private init; }

    public string? Port { get; private init; }

    public string? Database { get; private init; }

    public string? Get(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    public static bool HasScheme(string text) => Schemes.Any(s => text.StartsWith(s, StringComparison.OrdinalIgnoreCase));

    public static NodePostgresUri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith('/'))
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, "node-postgres reads a string starting with '/' as a Unix-domain socket path, which has no TLS",
                "Give a postgres://host:port/database URI to check TLS.");
        }

        var scheme = Schemes.FirstOrDefault(s => text.StartsWith(s, StringComparison.OrdinalIgnoreCase))
            ?? throw new DbTlsException(FindingCodes.ConfigInvalid, "dbtls reads node-postgres connection strings as postgres:// or postgresql:// URIs",
                "Write the string as postgres://user@host:5432/database?sslmode=verify-full.");

        var rest = text.AsSpan(scheme.Length);
        var fragment = rest.IndexOf('#');
        if (fragment >= 0)
        {
            rest = rest[..fragment];
        }

        var authorityEnd = rest.IndexOfAny('/', '?');
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        rest = authorityEnd < 0 ? [] : rest[authorityEnd..];
        var queryStart = rest.IndexOf('?');
        var path = queryStart < 0 ? rest : rest[..queryStart];
        var query = queryStart < 0 ? [] : rest[(queryStart + 1)..];

        string? user = null, password = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            var colon = userInfo.IndexOf(':');
            user = Decode(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? null : Decode(userInfo[(colon + 1)..]);
            authority = authority[(at + 1)..];
        }

        var (host, port) = HostAndPort(authority, text);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.ToString().Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            parameters[FormDecode(equals < 0 ? pair : pair[..equals])] = equals < 0 ? "" : FormDecode(pair[(equals + 1)..]);
        }

        return new NodePostgresUri(parameters)
        {
            User = Nonempty(parameters.GetValueOrDefault("user")) ?? Nonempty(user),
            Password = Nonempty(parameters.GetValueOrDefault("password")) ?? Nonempty(password),
            Host = Nonempty(parameters.GetValueOrDefault("host")) ?? Nonempty(host),
            Port = Nonempty(parameters.GetValueOrDefault("port")) ?? Nonempty(port),
            Database = path.Length > 1 ? Decode(path[1..]) : null,
        };
    }

    private static (string Host, string Port) HostAndPort(ReadOnlySpan<char> authority, string text)
    {
        var portStart = -1;
        if (authority.Length > 0 && authority[0] == '[')
        {
            var close = authority.IndexOf(']');
            if (close < 0)
            {
                throw Invalid(text);
            }

            portStart = close + 1 < authority.Length && authority[close + 1] == ':' ? close + 1 : -1;
            if (portStart < 0 && close + 1 != authority.Length)
            {
                throw Invalid(text);
            }

            return (authority[1..close].ToString(), portStart < 0 ? "" : ParsePort(authority[(portStart + 1)..], text));
        }

        portStart = authority.LastIndexOf(':');
        return portStart < 0 ? (Decode(authority), "") : (Decode(authority[..portStart]), ParsePort(authority[(portStart + 1)..], text));
    }

    private static string ParsePort(ReadOnlySpan<char> port, string text)
    {
        foreach (var c in port)
        {
            if (c is < '0' or > '9')
            {
                throw Invalid(text);
            }
        }

        return port.ToString();
    }

    private static DbTlsException Invalid(string text) =>
        new(FindingCodes.ConfigInvalid, $"Invalid URL: node-postgres cannot parse {DbTls.Dialects.Libpq.ConnectionStringRedactor.RedactUriBestEffort(text)}",
            "Write the URI as postgres://user:password@host:port/database?sslmode=verify-full (IPv6 hosts in brackets).");

    private static string? Nonempty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    // decodeURIComponent; an invalid escape stays as written (pg-connection-string re-encodes such input first).
    private static string Decode(ReadOnlySpan<char> value) => Uri.UnescapeDataString(value.ToString());

    private static string FormDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}

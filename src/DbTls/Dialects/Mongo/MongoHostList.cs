using System.Collections.Immutable;
using System.Globalization;
using static DbTls.Dialects.Mongo.MongoUriErrors;

namespace DbTls.Dialects.Mongo;

/// <summary>The comma-separated host list: host names, IPv4, bracketed IPv6 literals, .sock paths, ports, and the mongodb+srv:// single-host rule.</summary>
internal static class MongoHostList
{
    internal static ImmutableArray<MongoHost> ParseHosts(string hostList, bool isSrv)
    {
        if (hostList.Length == 0)
        {
            throw Invalid("the connection string names no host");
        }

        var hosts = ImmutableArray.CreateBuilder<MongoHost>();
        foreach (var entity in hostList.Split(','))
        {
            if (entity.Length == 0)
            {
                throw Invalid("empty host (or an extra comma in the host list)");
            }

            hosts.Add(ParseHost(entity));
        }

        if (isSrv)
        {
            if (hosts.Count != 1)
            {
                throw Invalid("a mongodb+srv:// URI must name exactly one host");
            }

            if (hosts[0].PortGiven)
            {
                throw Invalid("a mongodb+srv:// URI must not give a port", "Remove the port: the ports come from the DNS SRV records.");
            }

            if (hosts[0].Kind is MongoHostKind.UnixSocket or MongoHostKind.IPLiteral or MongoHostKind.IPv4)
            {
                throw Invalid("a mongodb+srv:// URI must name a DNS host name");
            }
        }

        return hosts.ToImmutable();
    }

    internal static MongoHost ParseHost(string entity)
    {
        if (entity.Contains('/', StringComparison.Ordinal) && !entity.EndsWith(".sock", StringComparison.Ordinal))
        {
            throw Invalid($"unsupported host '{entity}': UNIX domain socket paths must end in .sock and be percent-encoded");
        }

        if (entity.EndsWith(".sock", StringComparison.Ordinal))
        {
            return new MongoHost(entity, 0, MongoHostKind.UnixSocket);
        }

        string host;
        string? port = null;
        MongoHostKind kind;
        if (entity[0] == '[')
        {
            var close = entity.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Invalid($"the IPv6 literal in '{entity}' must be enclosed in '[' and ']'");
            }

            host = entity[1..close];
            var after = entity[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    throw Invalid($"unexpected text after the IPv6 literal in '{entity}'");
                }

                port = after[1..];
            }

            if (!System.Net.IPAddress.TryParse(host, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                throw Invalid($"'{host}' is not an IPv6 address");
            }

            kind = MongoHostKind.IPLiteral;
        }
        else
        {
            var colons = entity.Count(c => c == ':');
            if (colons > 1)
            {
                throw Invalid($"'{entity}' has more than one ':'; an IPv6 address must be written in brackets, and ':' in a password must be escaped as %3A");
            }

            var colon = entity.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? entity : entity[..colon];
            port = colon < 0 ? null : entity[(colon + 1)..];
            if (host.Length == 0)
            {
                throw Invalid($"'{entity}' names no host");
            }

            kind = IsDottedQuad(host) ? MongoHostKind.IPv4 : MongoHostKind.HostName;
        }

        var portNumber = MongoHost.DefaultPort;
        if (port is not null)
        {
            if (port.Length == 0 || !port.All(char.IsAsciiDigit) || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber is < 1 or > 65535)
            {
                throw Invalid($"invalid port '{port}' for host '{host}': it must be an integer between 1 and 65535",
                    "Check the port; a port that is not a number often means an unescaped ':' or '@' in the password.");
            }
        }

        // DNS names are case-insensitive; PyMongo lower-cases them so the seed list matches the servers' own names.
        return new MongoHost(host.ToLowerInvariant(), portNumber, kind) { PortGiven = port is not null };
    }

    internal static bool IsDottedQuad(string host)
    {
        var parts = host.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }
}

using System.Globalization;
using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Dialects.FreeTds;
using DbTls.Dialects.Jdbc;
using DbTls.Dialects.Libpq;
using DbTls.Dialects.Mongo;
using DbTls.Dialects.SqlClient;
using DbTls.Dialects.Tds;

namespace DbTls.Scan;

/// <summary>Host, port and the protocol to scan with, from a <c>host:port</c> or from a connection string.</summary>
public sealed record ScanEndpoint(string Host, int Port, ScanProtocol? Protocol)
{
    /// <summary>
    /// Reads <c>host:port</c> / <c>[v6]:port</c>, else lets the dialect registry recognise the connection string and
    /// parses it with that dialect's own parser, keeping only host, port and protocol (the dialects expose no
    /// narrower accessor today; this calls their parsers and drops everything else, secrets included).
    /// </summary>
    public static ScanEndpoint Parse(string target, CheckEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (TryParseHostPort(target, out var endpoint))
        {
            return endpoint;
        }

        var dialect = DialectRegistry.Default.Detect(target);
        return dialect switch
        {
            LibpqDialect => FromPostgres(LibpqConnectionString.Parse(target, LibpqDialect.EnvironmentOf(environment))),
            SqlClientDialect => FromTds(SqlClientConnectionString.Parse(target)),
            JdbcDialect => FromTds(JdbcConnectionString.Parse(target)),
            FreeTdsDialect => FromTds(FreeTdsConnection.Parse(target, null, FreeTdsDialect.EnvironmentOf(environment))),
            MongoDialect => FromMongo(MongoConnectionString.Parse(target)),
            _ => throw new DbTlsException(FindingCodes.ConfigInvalid,
                $"not a host:port and not a connection string dbtls can read ({dialect.Name})",
                "Give host:port with --protocol, or a connection string as 'dbtls check' takes it."),
        };
    }

    private static ScanEndpoint FromPostgres(PostgresConnectionSpec spec)
    {
        var host = spec.HostAddress ?? spec.Host;
        if (host is null || host.StartsWith('/'))
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, "the connection string names a Unix-domain socket, which carries no TLS", "Give a TCP host name or address.");
        }

        return new ScanEndpoint(host, spec.Port, spec.Negotiation == PostgresNegotiation.Direct ? ScanProtocol.PostgresDirect : ScanProtocol.Postgres);
    }

    private static ScanEndpoint FromTds(TdsConnectionSpec spec) => new(spec.Host, spec.Port, spec.TlsFirst ? ScanProtocol.TdsStrict : ScanProtocol.Tds);

    private static ScanEndpoint FromMongo(MongoConnectionSpec spec)
    {
        if (spec.IsSrv || spec.Hosts.IsDefaultOrEmpty)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, "mongodb+srv:// names no host until DNS is asked", "Scan one of the hosts the SRV record lists, as host:port with --protocol mongodb.");
        }

        return new ScanEndpoint(spec.Hosts[0].Host, spec.Hosts[0].Port, ScanProtocol.Mongo);
    }

    /// <summary><c>name:port</c>, <c>1.2.3.4:port</c> or <c>[::1]:port</c>; nothing that contains '=', '/' or ';'.</summary>
    public static bool TryParseHostPort(string text, out ScanEndpoint endpoint)
    {
        endpoint = null!;
        if (text.IndexOfAny(['=', '/', ';', ' ', '@']) >= 0)
        {
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']') || host.Length < 3)
            {
                return false;
            }

            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        endpoint = new ScanEndpoint(host, port, null);
        return true;
    }
}

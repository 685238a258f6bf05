using DbTls.Dialects.Libpq;
using DbTls.Policy;

namespace DbTls.Dialects.Npgsql;

/// <summary>A parsed Npgsql string: the connection spec the PostgreSQL check runs, and the policy in Npgsql's words.</summary>
internal sealed record NpgsqlConnection(PostgresConnectionSpec Spec, string Summary);

/// <summary>
/// Reads an Npgsql 10 connection string as NpgsqlConnectionStringBuilder and NpgsqlConnector do. Npgsql reads only
/// some PG* variables (PostgresEnvironment.cs): PGUSER, PGPASSWORD, PGPASSFILE, PGSSLCERT, PGSSLKEY, PGSSLROOTCERT,
/// PGSSLNEGOTIATION, PGAPPNAME; never PGHOST, PGPORT, PGDATABASE or PGSSLMODE (Host is required, SSL Mode defaults to Prefer).
/// </summary>
internal static class NpgsqlConnectionString
{
    private const int DefaultPort = 5432;

    public static NpgsqlConnection Parse(string connectionString, LibpqEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(environment);
        var settings = NpgsqlSettings.Parse(connectionString);
        var sources = new List<string>();

        var mode = settings.GetEnum(NpgsqlKeywords.SslMode, NpgsqlSslMode.Prefer);
        var direct = Negotiation(settings, environment, sources);
        if (direct && mode is not (NpgsqlSslMode.Require or NpgsqlSslMode.VerifyCA or NpgsqlSslMode.VerifyFull))
        {
            throw NpgsqlErrors.Invalid("SSL Mode has to be Require or higher to be used with direct SSL Negotiation (Npgsql refuses the string)",
                "Use SSL Mode=VerifyFull with SSL Negotiation=Direct, or remove SSL Negotiation.");
        }

        var (host, port) = Target(settings);
        var user = settings.Get(NpgsqlKeywords.Username)
            ?? FromEnvironment(environment, "PGUSER", sources)
            ?? environment.OsUserName
            ?? throw NpgsqlErrors.Invalid("No username could be found, please specify one explicitly", "Give Username=<name>.");
        var database = settings.Get(NpgsqlKeywords.Database) ?? user;
        var timeout = settings.GetInt(NpgsqlKeywords.Timeout, 15, 0, 1024);
        var channelBinding = settings.GetEnum(NpgsqlKeywords.ChannelBinding, ChannelBindingMode.Prefer);
        var checkRevocation = settings.GetBool(NpgsqlKeywords.CheckCertificateRevocation, false);
        var trustServerCertificate = settings.Has(NpgsqlKeywords.TrustServerCertificate);
        _ = settings.GetBool(NpgsqlKeywords.TrustServerCertificate, false);

        var files = NpgsqlFiles.Resolve(settings, environment, mode, sources);
        var (policy, findings) = NpgsqlTlsRules.Build(mode, direct, files, checkRevocation, trustServerCertificate);
        var password = Password(settings, environment, host, port, database, user, sources);

        return new NpgsqlConnection(
            new PostgresConnectionSpec
            {
                Host = host,
                Port = port,
                User = user,
                Database = database,
                Password = password,
                ConnectTimeout = timeout == 0 ? null : TimeSpan.FromSeconds(timeout),
                Negotiation = direct ? PostgresNegotiation.Direct : PostgresNegotiation.Postgres,
                ChannelBinding = channelBinding,
                SslMode = mode.ToString(),
                Tls = policy,
                ApplicationName = settings.Get(NpgsqlKeywords.ApplicationName) ?? FromEnvironment(environment, "PGAPPNAME", sources) ?? "dbtls",
                RedactedConnectionString = NpgsqlRedactor.Redact(connectionString),
                Sources = [.. sources],
                Findings = findings,
            },
            NpgsqlTlsRules.Summary(mode, direct, files));
    }

    private static bool Negotiation(NpgsqlSettings settings, LibpqEnvironment environment, List<string> sources)
    {
        if (settings.Has(NpgsqlKeywords.SslNegotiation))
        {
            return settings.GetEnum(NpgsqlKeywords.SslNegotiation, NpgsqlSslNegotiation.Postgres) == NpgsqlSslNegotiation.Direct;
        }

        // Npgsql ignores a PGSSLNEGOTIATION it cannot parse (Enum.TryParse).
        if (environment.Get("PGSSLNEGOTIATION") is { } value && Enum.TryParse<NpgsqlSslNegotiation>(value, ignoreCase: true, out var parsed))
        {
            sources.Add($"PGSSLNEGOTIATION={value}");
            return parsed == NpgsqlSslNegotiation.Direct;
        }

        return false;
    }

    /// <summary>One host (Npgsql's <c>host:port</c> form too); Unix sockets and lists of hosts are not checked.</summary>
    private static (string Host, int Port) Target(NpgsqlSettings settings)
    {
        var host = settings.Get(NpgsqlKeywords.Host)?.Trim();
        if (string.IsNullOrEmpty(host))
        {
            throw NpgsqlErrors.Invalid("Host is required: Npgsql reads no PGHOST and refuses a string without Host", "Give Host=<server name>.");
        }

        if (host.Contains(',', StringComparison.Ordinal))
        {
            throw NpgsqlErrors.Invalid("multiple hosts (Host=a,b) are not supported yet: dbtls checks one server", "Check each host separately: Host=<one of them>.");
        }

        if (host[0] is '/' or '@')
        {
            throw NpgsqlErrors.Invalid("Host names a Unix-domain socket, which Npgsql never encrypts", "Give a TCP host name or address to check TLS.");
        }

        var port = settings.GetInt(NpgsqlKeywords.Port, DefaultPort, 1, 65535);
        var colon = host.LastIndexOf(':');
        var otherColon = colon > 0 ? host.LastIndexOf(':', colon - 1) : -1;
        var bracket = host.LastIndexOf(']');
        if (colon > 0 && (otherColon == -1 || (colon > bracket && otherColon < bracket)))
        {
            // NpgsqlConnectionStringBuilder.TrySplitHostPort: Host=db:6432 overrides Port.
            if (!int.TryParse(host.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port)
                || port is < 1 or > 65535)
            {
                throw NpgsqlErrors.Invalid($"the port in Host={host} is not a number from 1 to 65535", "Write Host=<name>:<port> or give Port separately.");
            }

            host = host[..colon];
        }

        if (host.Length > 2 && host[0] == '[' && host[^1] == ']')
        {
            host = host[1..^1];
        }

        return (host, port);
    }

    private static Secret? Password(NpgsqlSettings settings, LibpqEnvironment environment, string host, int port, string database, string user, List<string> sources)
    {
        if (settings.Get(NpgsqlKeywords.Password) is { } given)
        {
            return new Secret(given);
        }

        if (environment.Get("PGPASSWORD") is { } fromEnvironment)
        {
            sources.Add("password: PGPASSWORD");
            return new Secret(fromEnvironment);
        }

        var passFile = settings.Get(NpgsqlKeywords.Passfile)
            ?? FromEnvironment(environment, "PGPASSFILE", sources)
            ?? (environment.HomeDirectory is { } home && Path.Combine(home, ".pgpass") is var path && File.Exists(path) ? path : null);
        if (passFile is null)
        {
            return null;
        }

        var lookup = PasswordFile.Lookup(passFile, host, port.ToString(System.Globalization.CultureInfo.InvariantCulture), database, user);
        if (lookup.Source is not null)
        {
            sources.Add(lookup.Source);
        }

        return lookup.Password;
    }

    internal static string? FromEnvironment(LibpqEnvironment environment, string name, List<string> sources)
    {
        var value = environment.Get(name);
        if (value is not null)
        {
            sources.Add($"{name}={value}");
        }

        return value;
    }
}

/// <summary>Npgsql's <c>SslNegotiation</c> enum.</summary>
internal enum NpgsqlSslNegotiation
{
    Postgres,
    Direct,
}

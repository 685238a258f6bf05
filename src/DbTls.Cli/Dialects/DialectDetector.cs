using System.Collections.Frozen;

namespace DbTls.Cli.Dialects;

/// <summary>
/// Tells which driver a connection string is written for. URL schemes decide on their own; for
/// keyword/value strings the first keyword and the separator after its value decide, because libpq
/// separates pairs with white space and the .NET drivers with semicolons.
/// </summary>
internal static class DialectDetector
{
    // libpq's keywords (libpq's PQconninfoOptions, PostgreSQL 18). They are lower-case and case-sensitive in libpq.
    private static readonly FrozenSet<string> LibpqKeywords = new[]
    {
        "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "require_auth",
        "channel_binding", "connect_timeout", "client_encoding", "options", "application_name",
        "fallback_application_name", "keepalives", "keepalives_idle", "keepalives_interval",
        "keepalives_count", "tcp_user_timeout", "replication", "gssencmode", "sslmode", "sslnegotiation",
        "sslcompression", "sslcert", "sslkey", "sslkeylogfile", "sslpassword", "sslcertmode", "sslrootcert",
        "sslcrl", "sslcrldir", "sslsni", "requirepeer", "ssl_min_protocol_version", "ssl_max_protocol_version",
        "min_protocol_version", "max_protocol_version", "krbsrvname", "gsslib", "gssdelegation", "service",
        "target_session_attrs", "load_balance_hosts", "scram_client_key", "scram_server_key",
        "oauth_issuer", "oauth_client_id", "oauth_client_secret", "oauth_scope",
    }.ToFrozenSet(StringComparer.Ordinal);

    // SqlClient keywords and synonyms that libpq does not have (compared case-insensitively, as SqlClient does).
    private static readonly FrozenSet<string> SqlClientKeywords = new[]
    {
        "server", "data source", "address", "addr", "network address", "initial catalog", "database",
        "user id", "uid", "pwd", "encrypt", "trustservercertificate", "trust server certificate",
        "hostnameincertificate", "host name in certificate", "servercertificate", "server certificate",
        "integrated security", "trusted_connection", "authentication", "application name", "app",
        "connect timeout", "connection timeout", "timeout", "multisubnetfailover", "multi subnet failover",
        "persist security info", "persistsecurityinfo", "pooling", "workstation id", "wsid", "failover partner",
        "attachdbfilename", "packet size", "applicationintent", "application intent",
        "multipleactiveresultsets", "multiple active result sets", "column encryption setting",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    // Keywords both libpq and SqlClient accept; the separator decides.
    private static readonly FrozenSet<string> SharedKeywords = new[] { "user", "password" }
        .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static ConnectionStringDialect Detect(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var text = connectionString.TrimStart();

        if (StartsWith(text, "postgresql://") || StartsWith(text, "postgres://"))
        {
            return ConnectionStringDialect.Libpq;
        }

        if (StartsWith(text, "jdbc:sqlserver://"))
        {
            return ConnectionStringDialect.Jdbc;
        }

        if (StartsWith(text, "mongodb://") || StartsWith(text, "mongodb+srv://"))
        {
            return ConnectionStringDialect.MongoDb;
        }

        if (StartsWith(text, "freetds:"))
        {
            return ConnectionStringDialect.FreeTds;
        }

        // libpq accepts an empty conninfo: every setting then comes from PG* variables and defaults.
        if (text.Length == 0)
        {
            return ConnectionStringDialect.Libpq;
        }

        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return ConnectionStringDialect.Unknown;
        }

        var firstKey = text[..equals].Trim();
        var semicolonFirst = SemicolonEndsFirstValue(text.AsSpan(equals + 1));

        if (SharedKeywords.Contains(firstKey))
        {
            return semicolonFirst ? ConnectionStringDialect.SqlClient : ConnectionStringDialect.Libpq;
        }

        if (LibpqKeywords.Contains(firstKey) && !semicolonFirst)
        {
            return ConnectionStringDialect.Libpq;
        }

        // "Host=...;Port=...;Database=..." (or lower-case with semicolons) is Npgsql, not libpq.
        if (LibpqKeywords.Contains(firstKey.ToLowerInvariant()) || firstKey.Equals("username", StringComparison.OrdinalIgnoreCase))
        {
            return semicolonFirst ? ConnectionStringDialect.Npgsql : ConnectionStringDialect.Libpq;
        }

        if (SqlClientKeywords.Contains(firstKey))
        {
            return ConnectionStringDialect.SqlClient;
        }

        // An unknown keyword without semicolons: let libpq's parser name the bad keyword.
        return semicolonFirst ? ConnectionStringDialect.Unknown : ConnectionStringDialect.Libpq;
    }

    private static bool StartsWith(string text, string prefix) => text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the first value ends at a semicolon rather than at white space (quoted values skipped).</summary>
    private static bool SemicolonEndsFirstValue(ReadOnlySpan<char> value)
    {
        var i = 0;
        while (i < value.Length && char.IsWhiteSpace(value[i]))
        {
            i++;
        }

        if (i < value.Length && value[i] is '\'' or '"')
        {
            var quote = value[i];
            i++;
            while (i < value.Length && value[i] != quote)
            {
                // libpq escapes with a backslash inside single quotes.
                i += value[i] == '\\' ? 2 : 1;
            }

            i++;
        }

        for (; i < value.Length; i++)
        {
            if (value[i] == ';')
            {
                return true;
            }

            if (char.IsWhiteSpace(value[i]))
            {
                return false;
            }
        }

        return false;
    }
}

using DbTls.Dialects.Libpq;
using DbTls.Policy;

namespace DbTls.Dialects.Npgsql;

/// <summary>
/// The certificate files Npgsql picks (NpgsqlConnector.NegotiateEncryption, PostgresEnvironment): each from its keyword,
/// else its PG* variable, else the ~/.postgresql default only when that file exists. A missing default is no error.
/// </summary>
internal static class NpgsqlFiles
{
    public static NpgsqlTlsFiles Resolve(NpgsqlSettings settings, LibpqEnvironment environment, NpgsqlSslMode mode, List<string> sources)
    {
        if (mode == NpgsqlSslMode.Disable)
        {
            return new NpgsqlTlsFiles(null, null, null);
        }

        var (root, rootSource) = Pick(settings, NpgsqlKeywords.RootCertificate, environment, "PGSSLROOTCERT", "root.crt", sources);
        var (certificate, _) = Pick(settings, NpgsqlKeywords.SslCertificate, environment, "PGSSLCERT", "postgresql.crt", sources);
        ClientCertificateSource? client = null;
        if (certificate is not null)
        {
            var password = settings.Get(NpgsqlKeywords.SslPassword) is { } p ? new Secret(p) : null;

            // A .pfx file holds its own key; for PEM the key comes from SSL Key, PGSSLKEY or ~/.postgresql/postgresql.key.
            var key = string.Equals(Path.GetExtension(certificate), ".pfx", StringComparison.OrdinalIgnoreCase)
                ? null
                : Pick(settings, NpgsqlKeywords.SslKey, environment, "PGSSLKEY", "postgresql.key", sources).Path;
            client = new ClientCertificateSource(certificate, key, password);
        }

        return new NpgsqlTlsFiles(root, rootSource, client);
    }

    private static (string? Path, string? Source) Pick(NpgsqlSettings settings, string keyword, LibpqEnvironment environment, string variable, string defaultName, List<string> sources)
    {
        if (settings.Get(keyword) is { } given)
        {
            return (given, keyword);
        }

        if (NpgsqlConnectionString.FromEnvironment(environment, variable, sources) is { } fromEnvironment)
        {
            return (fromEnvironment, variable);
        }

        if (environment.HomeDirectory is { } home && Path.Combine(home, ".postgresql", defaultName) is var path && File.Exists(path))
        {
            sources.Add($"{keyword}: {path} (default file)");
            return (path, $"the default file {path}");
        }

        return (null, null);
    }
}

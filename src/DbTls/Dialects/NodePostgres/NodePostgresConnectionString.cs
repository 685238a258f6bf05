using System.Collections.Immutable;
using System.Globalization;
using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Policy;
using DbTls.Tls.HostNames;

namespace DbTls.Dialects.NodePostgres;

/// <summary>
/// Turns a node-postgres connection string into the <see cref="PostgresConnectionSpec"/> the shared PostgreSQL check
/// runs: pg's defaults (PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD, else localhost:5432 as $USER), the TLS rules of
/// <see cref="NodePostgresSslRules"/>, Node's OpenSSL chain check and its checkServerIdentity host-name rules.
/// </summary>
internal static class NodePostgresConnectionString
{
    public static (PostgresConnectionSpec Spec, string Summary) Parse(string connectionString, CheckEnvironment environment)
    {
        var uri = NodePostgresUri.Parse(connectionString);
        var variables = environment.Variables;
        var sources = ImmutableArray.CreateBuilder<string>();
        string? Env(string name, string? given)
        {
            if (given is not null)
            {
                return given;
            }

            if (variables.TryGetValue(name, out var value) && value.Length > 0)
            {
                sources.Add(DialectRun.Source(name, value));
                return value;
            }

            return null;
        }

        var host = Env("PGHOST", uri.Host) ?? "localhost";
        var portText = Env("PGPORT", uri.Port) ?? "5432";
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"Invalid port: {portText}", "Give a port between 1 and 65535.");
        }

        var user = Env("PGUSER", uri.User) ?? (variables.TryGetValue("USER", out var os) && os.Length > 0 ? os : environment.OsUserName ?? Environment.UserName);
        var database = Env("PGDATABASE", uri.Database) ?? user;
        var password = uri.Password ?? (variables.TryGetValue("PGPASSWORD", out var fromEnvironment) && fromEnvironment.Length > 0 ? fromEnvironment : null);
        if (uri.Password is null && password is not null)
        {
            sources.Add("password: PGPASSWORD");
        }

        var ssl = NodePostgresSslRules.Resolve(uri, variables);
        ReadFiles(ssl);
        var isIp = NodeTlsHostNameMatcher.IsIp(host, out _);
        var policy = new TlsPolicy
        {
            Encryption = !ssl.Enabled ? EncryptionMode.Disabled : ssl.Direct ? EncryptionMode.TlsFirst : EncryptionMode.Required,
            FallBackOnHandshakeFailure = false,
            Verification = ssl.Verification,
            Trust = ssl.CaPath is { } ca ? new TrustSource.PemFile(ca) : TrustSource.System,
            HostNameRules = HostNameRules.NodeTls,
            ChainEngine = ChainEngine.OpenSsl,
            ClientCertificate = ssl.CertPath is { } cert ? new ClientCertificateSource(cert, ssl.KeyPath, null) : null,

            // pg sets servername (SNI) only for a host that is not an IP address (RFC 6066).
            SendSni = !isIp,
            Alpn = ssl.Direct ? ["postgresql"] : [],
        };

        return (new PostgresConnectionSpec
        {
            Host = host,
            Port = port,
            User = user,
            Database = database,
            Password = password is null ? null : new Secret(password),
            ConnectTimeout = null,
            Negotiation = ssl.Direct ? PostgresNegotiation.Direct : PostgresNegotiation.Postgres,
            ChannelBinding = ChannelBindingMode.Prefer,
            SslMode = ssl.Summary,
            Tls = policy,
            ApplicationName = uri.Get("application_name") ?? "dbtls",
            RedactedConnectionString = NodePostgresRedactor.Redact(connectionString),
            Sources = sources.ToImmutable(),
            Findings = [.. ssl.Findings, .. ModeFindings(ssl)],
        }, Summary(ssl));
    }

    /// <summary>pg-connection-string reads sslrootcert, sslcert and sslkey with readFileSync while parsing: a missing file fails at once.</summary>
    private static void ReadFiles(NodePostgresSsl ssl)
    {
        foreach (var (path, code) in new[] { (ssl.CertPath, FindingCodes.ConfigInvalid), (ssl.KeyPath, FindingCodes.ConfigInvalid), (ssl.CaPath, FindingCodes.CertRootFileMissing) })
        {
            if (path is not null && !File.Exists(path))
            {
                throw new DbTlsException(code, $"ENOENT: no such file or directory, open '{path}' (node-postgres reads the file while parsing the string)",
                    "Give the path of an existing PEM file.");
            }
        }
    }

    private static IEnumerable<Finding> ModeFindings(NodePostgresSsl ssl)
    {
        if (!ssl.Enabled)
        {
            yield return FindingCatalog.Create(FindingCodes.TlsNotUsed, $"{ssl.Summary}: node-postgres does not encrypt; the password and all data cross the network in plaintext.");
        }
        else if (ssl.Verification == VerificationLevel.None)
        {
            yield return FindingCatalog.Create(FindingCodes.CertNotVerified, $"{ssl.Summary}: node-postgres encrypts but accepts any server certificate (rejectUnauthorized=false).");
        }
        else if (ssl.Verification == VerificationLevel.Chain)
        {
            yield return FindingCatalog.Create(FindingCodes.ConfigNote,
                $"{ssl.Summary}: node-postgres checks the chain but not the host name (checkServerIdentity is replaced by a no-op).",
                "Use sslmode=verify-full to check the host name too.");
        }

        if (ssl.Enabled && ssl.Verification != VerificationLevel.None && ssl.CaPath is null)
        {
            yield return FindingCatalog.Create(FindingCodes.ConfigNote,
                "Without sslrootcert, Node trusts its own bundled Mozilla CA list (or NODE_EXTRA_CA_CERTS, or the system store with --use-openssl-ca); dbtls checks against the system trust store.");
        }
    }

    private static string Summary(NodePostgresSsl ssl) =>
        !ssl.Enabled ? ssl.Summary
        : ssl.Summary + (ssl.Verification == VerificationLevel.None ? "" : ssl.CaPath is { } ca ? $"; sslrootcert={ca}" : "; Node's bundled CA list")
            + (ssl.Direct ? "; sslnegotiation=direct" : "");
}

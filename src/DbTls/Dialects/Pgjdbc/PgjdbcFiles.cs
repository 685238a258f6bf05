using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Dialects.Pgjdbc;

/// <summary>
/// The files LibPQFactory reads: <c>sslrootcert</c> (default <c>~/.postgresql/root.crt</c>, read only for verify-ca and
/// verify-full), <c>sslcert</c> (default <c>postgresql.crt</c>) and <c>sslkey</c> (default <c>postgresql.pk8</c>, PKCS#8
/// DER; <c>.p12</c>/<c>.pfx</c> select a PKCS#12 key store). A missing default client file just means no client
/// certificate; a missing named one fails the connection. pgjdbc takes ~ from Java's user.home (the passwd entry);
/// dbtls takes it from HOME.
/// </summary>
internal sealed record PgjdbcFiles(string? RootPath, ClientCertificateSource? ClientCertificate, ImmutableArray<string> Sources, ImmutableArray<Finding> Notes)
{
    public static PgjdbcFiles Resolve(PgjdbcUrl url, string mode, string? home)
    {
        var sources = ImmutableArray.CreateBuilder<string>();
        var notes = ImmutableArray.CreateBuilder<Finding>();
        var directory = home is null ? null : Path.Combine(home, ".postgresql");
        string? root = null;
        var usesRootFile = mode is "verify-ca" or "verify-full"
            && (url.Get(PgjdbcProperties.SslFactory) ?? PgjdbcSslRules.LibPqFactory) is PgjdbcSslRules.LibPqFactory or "org.postgresql.ssl.jdbc4.LibPQFactory";
        if (usesRootFile)
        {
            root = url.Get(PgjdbcProperties.SslRootCert);
            if (root is null && directory is not null)
            {
                root = Path.Combine(directory, "root.crt");
                sources.Add($"sslrootcert: {root} (default file)");
            }

            if (root is null || !File.Exists(root))
            {
                throw new DbTlsException(FindingCodes.CertRootFileMissing,
                    $"Could not open SSL root certificate file {root ?? "~/.postgresql/root.crt"}.",
                    "Give sslrootcert=<CA file> (PEM or DER), or put the CA certificate in ~/.postgresql/root.crt; pgjdbc never falls back to the system trust store.");
            }
        }

        var key = url.Get(PgjdbcProperties.SslKey);
        var cert = url.Get(PgjdbcProperties.SslCert);
        var keyIsDefault = key is null;
        key ??= directory is null ? null : Path.Combine(directory, "postgresql.pk8");
        ClientCertificateSource? client = null;
        if (key is not null && (key.EndsWith(".p12", StringComparison.Ordinal) || key.EndsWith(".pfx", StringComparison.Ordinal)))
        {
            notes.Add(FindingCatalog.Create(FindingCodes.ConfigNote,
                $"sslkey={key}: pgjdbc reads a PKCS#12 key store (PKCS12KeyManager); dbtls does not offer a client certificate from it, so a server that demands one refuses dbtls but may accept pgjdbc.",
                "Export the certificate (PEM) and key (PKCS#8) and give them as sslcert and sslkey.", Severity.Warning));
        }
        else
        {
            var certIsDefault = cert is null;
            cert ??= directory is null ? null : Path.Combine(directory, "postgresql.crt");
            var password = url.Get(PgjdbcProperties.SslPassword) is { } given ? new Secret(given) : null;
            client = Client(cert, certIsDefault, key, keyIsDefault, password, sources);
        }

        return new PgjdbcFiles(root, client, sources.ToImmutable(), notes.ToImmutable());
    }

    private static ClientCertificateSource? Client(string? cert, bool certIsDefault, string? key, bool keyIsDefault, Secret? password, ImmutableArray<string>.Builder sources)
    {
        if (cert is null || key is null)
        {
            return null;
        }

        if (!File.Exists(cert))
        {
            return certIsDefault ? null : throw Missing("SSL certificate file", cert);
        }

        if (!File.Exists(key))
        {
            return keyIsDefault ? null : throw Missing("SSL key file", key);
        }

        if (certIsDefault)
        {
            sources.Add($"sslcert: {cert} (default file)");
        }

        if (keyIsDefault)
        {
            sources.Add($"sslkey: {key} (default file)");
        }

        return new ClientCertificateSource(cert, key, password);
    }

    private static DbTlsException Missing(string what, string path) => new(
        FindingCodes.ConfigInvalid,
        $"Could not open {what} {path}.",
        "Fix the path, or remove the property to use the default file under ~/.postgresql/.");
}

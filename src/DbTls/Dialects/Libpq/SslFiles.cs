using System.Collections.Immutable;
using System.Security.Cryptography;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Dialects.Libpq;

/// <summary>
/// The files libpq's initialize_SSL (fe-secure-openssl.c) loads, resolved the same way: explicit
/// settings first, then ~/.postgresql/root.crt, root.crl, postgresql.crt and postgresql.key, each
/// used only when it exists.
/// </summary>
internal sealed record SslFileSettings
{
    /// <summary>The trusted roots when libpq would load any (an existing root file or sslrootcert=system); null otherwise.</summary>
    public TrustSource? Trust { get; init; }

    /// <summary>The root certificate path libpq looks at, explicit or default.</summary>
    public string? RootPath { get; init; }

    public bool RootIsDefaultFile { get; init; }

    public RevocationPolicy Revocation { get; init; } = RevocationPolicy.None;

    public ClientCertificateSource? ClientCertificate { get; init; }

    /// <summary>
    /// The error libpq's TLS set-up would stop with before the handshake (an unreadable root file,
    /// a certificate without its key, ...), or null. What it means depends on sslmode.
    /// </summary>
    public string? LocalFailure { get; init; }

    public ImmutableArray<Finding> Notes { get; init; } = [];
}

internal static class SslFiles
{
    public const string RootCertFile = "root.crt";
    public const string RootCrlFile = "root.crl";
    public const string UserCertFile = "postgresql.crt";
    public const string UserKeyFile = "postgresql.key";

    public static SslFileSettings Resolve(ConninfoOptions options, string? homeDirectory, string sslMode, List<string> sources)
    {
        var notes = ImmutableArray.CreateBuilder<Finding>();
        var dotPostgresql = homeDirectory is null ? null : Path.Combine(homeDirectory, ".postgresql");
        var explicitRoot = options.GetNonEmpty(LibpqKeywords.SslRootCert);
        var rootPath = explicitRoot ?? (dotPostgresql is null ? null : Path.Combine(dotPostgresql, RootCertFile));
        var crlFile = options.GetNonEmpty(LibpqKeywords.SslCrl);
        var crlDirectory = options.GetNonEmpty(LibpqKeywords.SslCrlDir);
        var verifying = sslMode.StartsWith('v');

        var settings = new SslFileSettings { RootPath = rootPath, RootIsDefaultFile = explicitRoot is null };
        if (string.Equals(rootPath, "system", StringComparison.Ordinal))
        {
            settings = settings with { Trust = TrustSource.System };
            if (crlFile is not null || crlDirectory is not null)
            {
                notes.Add(Note("libpq loads no CRLs with sslrootcert=system, so sslcrl/sslcrldir have no effect and revocation is not checked."));
            }
        }
        else if (rootPath is not null && (File.Exists(rootPath) || Directory.Exists(rootPath)))
        {
            var failure = CheckRootFile(rootPath);
            if (failure is not null)
            {
                return settings with { LocalFailure = failure, Notes = notes.ToImmutable() };
            }

            if (explicitRoot is null)
            {
                sources.Add($"sslrootcert: {rootPath} (default file)");
            }

            settings = settings with
            {
                Trust = new TrustSource.PemFile(rootPath),
                Revocation = ResolveRevocation(crlFile, crlDirectory, dotPostgresql, notes, sources),
            };
        }
        else if (verifying)
        {
            const string remedy = "Either provide the file, use the system's trusted roots with sslrootcert=system, or change sslmode to disable server certificate verification.";
            throw rootPath is null
                ? new DbTlsException(FindingCodes.CertRootFileMissing, "could not get home directory to locate root certificate file", remedy)
                : new DbTlsException(FindingCodes.CertRootFileMissing, $"root certificate file \"{rootPath}\" does not exist", remedy);
        }
        else if (crlFile is not null || crlDirectory is not null)
        {
            notes.Add(Note("libpq loads CRLs only together with a root certificate file; without one sslcrl/sslcrldir have no effect."));
        }

        var (client, clientFailure) = ResolveClientCertificate(options, dotPostgresql, notes, sources);
        return settings with { ClientCertificate = client, LocalFailure = clientFailure, Notes = notes.ToImmutable() };
    }

    /// <summary>
    /// What OpenSSL's SSL_CTX_load_verify_locations needs: a readable file with at least one PEM
    /// certificate or CRL (it reads no DER, and a directory fails with "no certificate or crl found").
    /// </summary>
    private static string? CheckRootFile(string path)
    {
        if (Directory.Exists(path))
        {
            return $"could not read root certificate file \"{path}\": no certificate or crl found";
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"could not read root certificate file \"{path}\": {e.Message}";
        }

        return HasPemItem(text) ? null : $"could not read root certificate file \"{path}\": no certificate or crl found";
    }

    /// <summary>
    /// libpq's CRL set-up: sslcrl and/or sslcrldir, else ~/.postgresql/root.crl. OpenSSL's
    /// X509_STORE_load_locations fails as a whole when the file cannot be loaded, and then libpq
    /// silently checks no revocation at all; a directory is added without looking at it, so a
    /// missing directory turns on CRL checking that can never succeed.
    /// </summary>
    private static RevocationPolicy ResolveRevocation(string? crlFile, string? crlDirectory, string? dotPostgresql,
        ImmutableArray<Finding>.Builder notes, List<string> sources)
    {
        var defaultFile = false;
        if (crlFile is null && crlDirectory is null)
        {
            if (dotPostgresql is null)
            {
                return RevocationPolicy.None;
            }

            crlFile = Path.Combine(dotPostgresql, RootCrlFile);
            defaultFile = true;
        }

        if (crlFile is not null && !CrlFileLoads(crlFile))
        {
            if (!defaultFile)
            {
                notes.Add(Note(
                    $"sslcrl file \"{crlFile}\" does not exist or holds no PEM certificate or CRL; libpq then silently skips revocation checking"
                        + (crlDirectory is null ? "." : $" (sslcrldir \"{crlDirectory}\" is not used either)."),
                    Severity.Warning,
                    "Point sslcrl at a PEM CRL file from the issuing CA, or remove the setting."));
            }

            return RevocationPolicy.None;
        }

        if (defaultFile)
        {
            sources.Add($"sslcrl: {crlFile} (default file)");
        }

        if (crlDirectory is not null && !Directory.Exists(crlDirectory))
        {
            notes.Add(Note(
                $"sslcrldir \"{crlDirectory}\" does not exist; libpq still turns on CRL checking for every certificate in the chain, so "
                    + (crlFile is null ? "verification will fail (unable to get certificate CRL)." : $"every CA of the chain needs its CRL in sslcrl \"{crlFile}\"."),
                Severity.Warning,
                "Create the directory with the CRLs (named by hash, as openssl rehash does) or remove sslcrldir."));
        }

        return new RevocationPolicy
        {
            CrlFiles = crlFile is null ? [] : [crlFile],
            CrlDirectories = crlDirectory is null ? [] : [crlDirectory],
            Scope = RevocationScope.FullChain,
        };
    }

    private static bool CrlFileLoads(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            return HasPemItem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static (ClientCertificateSource? Certificate, string? Failure) ResolveClientCertificate(
        ConninfoOptions options, string? dotPostgresql, ImmutableArray<Finding>.Builder notes, List<string> sources)
    {
        var explicitCert = options.GetNonEmpty(LibpqKeywords.SslCert);
        var certPath = explicitCert ?? (dotPostgresql is null ? null : Path.Combine(dotPostgresql, UserCertFile));
        if (string.Equals(options.Get(LibpqKeywords.SslCertMode), "disable", StringComparison.Ordinal))
        {
            if (explicitCert is not null)
            {
                notes.Add(Note($"sslcertmode=disable: the client certificate \"{explicitCert}\" is never sent."));
            }

            return (null, null);
        }

        if (certPath is null)
        {
            return (null, null);
        }

        if (Directory.Exists(certPath))
        {
            return (null, $"could not read certificate file \"{certPath}\": it is a directory");
        }

        if (!File.Exists(certPath))
        {
            if (explicitCert is not null)
            {
                notes.Add(Note(
                    $"sslcert file \"{certPath}\" does not exist; libpq silently connects without a client certificate.",
                    Severity.Warning,
                    "Fix the sslcert path, or remove it if no client certificate is wanted."));
            }

            return (null, null);
        }

        if (explicitCert is null)
        {
            sources.Add($"sslcert: {certPath} (default file)");
        }

        var explicitKey = options.GetNonEmpty(LibpqKeywords.SslKey);
        var keyPath = explicitKey ?? (dotPostgresql is null ? null : Path.Combine(dotPostgresql, UserKeyFile));
        var password = options.GetNonEmpty(LibpqKeywords.SslPassword) is { } p ? new Secret(p) : null;
        if (keyPath is null)
        {
            return (new ClientCertificateSource(certPath, null, password), null);
        }

        if (!File.Exists(keyPath) && !Directory.Exists(keyPath))
        {
            return (null, $"certificate present, but not private key file \"{keyPath}\"");
        }

        if (Directory.Exists(keyPath))
        {
            return (null, $"private key file \"{keyPath}\" is not a regular file");
        }

        if (UnixPermissions.KeyTooOpen(keyPath))
        {
            return (null, $"private key file \"{keyPath}\" has group or world access; file must have permissions u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) or less if owned by root");
        }

        if (explicitKey is null)
        {
            sources.Add($"sslkey: {keyPath} (default file)");
        }

        return (new ClientCertificateSource(certPath, keyPath, password), null);
    }

    /// <summary>Whether the text holds a PEM block OpenSSL's certificate/CRL loader accepts.</summary>
    private static bool HasPemItem(string text)
    {
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label];
            if (label is "CERTIFICATE" or "X509 CERTIFICATE" or "TRUSTED CERTIFICATE" or "X509 CRL")
            {
                return true;
            }

            rest = rest[fields.Location.End..];
        }

        return false;
    }

    private static Finding Note(string message, Severity? severity = null, string? remedy = null) =>
        FindingCatalog.Create(FindingCodes.ConfigNote, message, remedy, severity);
}

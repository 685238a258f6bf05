using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Tls.Trust;

/// <summary>Loads a <see cref="TrustSource"/> into <see cref="TrustAnchors"/>. Failures are <see cref="DbTlsException"/>s with a config code.</summary>
internal static partial class TrustStoreLoader
{
    public static TrustAnchors Load(TrustSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source switch
        {
            TrustSource.SystemStore => new TrustAnchors(true, [], "the system trust store", []),
            TrustSource.PemFile file => LoadFile(file.Path),
            TrustSource.PemDirectory directory => LoadDirectory(directory.Path),
            TrustSource.Pkcs12Store store => LoadPkcs12(store.Path, store.Password),
            _ => throw new DbTlsException(FindingCodes.ConfigInvalid, $"unsupported trust source {source.Describe()}"),
        };
    }

    private static TrustAnchors LoadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new DbTlsException(FindingCodes.CertRootFileMissing, $"root certificate file \"{path}\" does not exist");
        }

        var certificates = CertificateFile.Parse(CertificateFile.ReadBounded(path, "root certificate file"), out var error);
        if (certificates.Count == 0)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"could not read root certificate file \"{path}\": no certificate found{(error is null ? "" : $" ({error})")}");
        }

        return new TrustAnchors(false, [.. certificates], Describe($"file {path}", certificates.Count), []);
    }

    private static TrustAnchors LoadDirectory(string path)
    {
        if (!Directory.Exists(path))
        {
            throw new DbTlsException(FindingCodes.CertRootFileMissing, $"root certificate directory \"{path}\" does not exist");
        }

        var certificates = new X509Certificate2Collection();
        var notes = new List<string>();
        IEnumerable<string> files;
        try
        {
            files = Directory.EnumerateFiles(path).Where(IsCertificateFileName).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"could not list root certificate directory \"{path}\": {ex.Message}", inner: ex);
        }

        foreach (var file in files)
        {
            try
            {
                var found = CertificateFile.Parse(CertificateFile.ReadBounded(file, "certificate file"), out _);
                if (found.Count == 0)
                {
                    notes.Add($"skipped {Path.GetFileName(file)}: no certificate in it");
                }

                foreach (var cert in found.Where(c => !certificates.Contains(c)))
                {
                    certificates.Add(cert);
                }
            }
            catch (DbTlsException ex)
            {
                notes.Add($"skipped {Path.GetFileName(file)}: {ex.Message}");
            }
        }

        if (certificates.Count == 0)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"root certificate directory \"{path}\" holds no certificates (*.pem, *.crt or OpenSSL hash-named files)");
        }

        return new TrustAnchors(false, certificates, Describe($"directory {path}", certificates.Count), notes);
    }

    private static TrustAnchors LoadPkcs12(string path, Secret? password)
    {
        if (!File.Exists(path))
        {
            throw new DbTlsException(FindingCodes.CertRootFileMissing, $"trust store \"{path}\" does not exist");
        }

        var bytes = CertificateFile.ReadBounded(path, "trust store");
        X509Certificate2Collection certificates;
        try
        {
            var limits = new Pkcs12LoaderLimits(Pkcs12LoaderLimits.Defaults) { IgnorePrivateKeys = true };
            certificates = X509CertificateLoader.LoadPkcs12Collection(bytes, password?.Reveal(), X509KeyStorageFlags.DefaultKeySet, limits);
        }
        catch (CryptographicException ex)
        {
            // The password only protects the store's integrity (MAC) and encrypted bags; never echo it.
            var why = password is null
                ? "it is password-protected, or it is not a PKCS#12 file; give the store's password"
                : "integrity check failed: the password is wrong, or the file is not a PKCS#12 store";
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"could not open PKCS#12 trust store \"{path}\": {why}", inner: ex);
        }

        if (certificates.Count == 0)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"PKCS#12 trust store \"{path}\" holds no certificates");
        }

        return new TrustAnchors(false, certificates, Describe($"PKCS#12 store {path}", certificates.Count), []);
    }

    /// <summary>*.pem, *.crt, *.cer, and OpenSSL's hashed names (8 hex digits, a dot, a number: c_rehash output).</summary>
    internal static bool IsCertificateFileName(string path)
    {
        var name = Path.GetFileName(path);
        return name.EndsWith(".pem", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".crt", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".cer", StringComparison.OrdinalIgnoreCase)
            || HashedName().IsMatch(name);
    }

    private static string Describe(string what, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"{what} ({count} certificate{(count == 1 ? "" : "s")})");

    [GeneratedRegex("^[0-9a-fA-F]{8}\\.[0-9]+$")]
    private static partial Regex HashedName();
}

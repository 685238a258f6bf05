using System.Text;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls.Trust;
using Org.BouncyCastle.X509;

namespace DbTls.Tls.Revocation;

/// <summary>A parsed CRL and the file it came from.</summary>
internal sealed record LoadedCrl(X509Crl Crl, string Source);

/// <summary>
/// CRLs read from the policy's files and directories, nothing fetched from the network. CRLs are
/// parsed with BouncyCastle (.NET has no CRL reader). Explicit files must parse; in directories,
/// files that are not CRLs are skipped with a note, as an OpenSSL hashed directory would ignore them.
/// </summary>
internal sealed class CrlStore
{
    private CrlStore(IReadOnlyList<LoadedCrl> crls, IReadOnlyList<string> notes)
    {
        Crls = crls;
        Notes = notes;
    }

    public IReadOnlyList<LoadedCrl> Crls { get; }

    public IReadOnlyList<string> Notes { get; }

    public static CrlStore Load(RevocationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var crls = new List<LoadedCrl>();
        var notes = new List<string>();
        foreach (var file in policy.CrlFiles.IsDefault ? [] : policy.CrlFiles)
        {
            var found = Parse(CertificateFile.ReadBounded(file, "CRL file"), file, out var error);
            if (found.Count == 0)
            {
                throw new DbTlsException(FindingCodes.ConfigInvalid, $"could not read CRL file \"{file}\": no CRL found{(error is null ? "" : $" ({error})")}");
            }

            crls.AddRange(found);
        }

        foreach (var directory in policy.CrlDirectories.IsDefault ? [] : policy.CrlDirectories)
        {
            if (!Directory.Exists(directory))
            {
                // OpenSSL adds a CRL directory without reading it (libpq's X509_STORE_load_locations), so a missing one is
                // no input error: it simply never supplies a CRL, and certificates the files cover still verify.
                notes.Add($"CRL directory \"{directory}\" does not exist, so it supplies no CRL");
                continue;
            }

            List<string> files;
            try
            {
                files = [.. Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal)];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new DbTlsException(FindingCodes.ConfigInvalid, $"could not list CRL directory \"{directory}\": {ex.Message}", inner: ex);
            }

            foreach (var file in files)
            {
                try
                {
                    var found = Parse(CertificateFile.ReadBounded(file, "CRL file"), file, out _);
                    if (found.Count == 0)
                    {
                        notes.Add($"skipped {file}: not a CRL");
                    }

                    crls.AddRange(found);
                }
                catch (DbTlsException ex)
                {
                    notes.Add($"skipped {file}: {ex.Message}");
                }
            }
        }

        return new CrlStore(crls, notes);
    }

    /// <summary>Every X509 CRL block of a PEM file, or the single DER CRL.</summary>
    private static List<LoadedCrl> Parse(byte[] bytes, string source, out string? error)
    {
        error = null;
        var result = new List<LoadedCrl>();
        var parser = new X509CrlParser();
        if (CertificateFile.LooksLikePem(bytes))
        {
            foreach (var (label, der) in CertificateFile.PemBlocks(Encoding.ASCII.GetString(bytes)))
            {
                if (label != "X509 CRL")
                {
                    continue; // OpenSSL's cert/CRL loader also skips certificates and other blocks
                }

                if (TryParse(parser, der, out var crl, out var why))
                {
                    result.Add(new LoadedCrl(crl, source));
                }
                else
                {
                    error ??= why;
                }
            }
        }
        else if (TryParse(parser, bytes, out var crl, out var why))
        {
            result.Add(new LoadedCrl(crl, source));
        }
        else
        {
            error = why;
        }

        return result;
    }

    private static bool TryParse(X509CrlParser parser, byte[] der, out X509Crl crl, out string? error)
    {
        try
        {
            crl = parser.ReadCrl(der);
            error = crl is null ? "empty" : null;
            return crl is not null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // BouncyCastle throws many exception types for malformed ASN.1; any of them means "not a CRL".
            crl = null!;
            error = ex.Message;
            return false;
        }
    }
}

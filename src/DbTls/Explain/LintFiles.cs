using System.Globalization;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls.Trust;

namespace DbTls.Explain;

/// <summary>
/// Lint rules about the files the policy names: trusted roots, CRLs, the client certificate and the pin. Read from
/// the local disk only; a message names the file and what is wrong, never the library's exception text.
/// </summary>
internal static class LintFiles
{
    /// <summary>A pinned certificate this close to expiry is reported, as <c>cert.expiring-soon</c> does for the server's chain.</summary>
    public static readonly TimeSpan PinWarning = TimeSpan.FromDays(30);

    public static IEnumerable<Finding> Check(TlsPolicy policy, DateTimeOffset now)
    {
        if (policy.Encryption == EncryptionMode.Disabled)
        {
            yield break;
        }

        if (policy.Verification is VerificationLevel.Chain or VerificationLevel.ChainAndHostName)
        {
            var trust = policy.Trust switch
            {
                TrustSource.PemFile file => CertificateFileProblem(file.Path, "trusted root file"),
                TrustSource.PemDirectory directory => Directory.Exists(directory.Path) ? null : Missing(directory.Path, "trusted root directory"),
                TrustSource.Pkcs12Store store => ReadableProblem(store.Path, "trust store"),
                _ => null,
            };
            if (trust is not null)
            {
                yield return trust;
            }

            foreach (var crl in policy.Revocation.CrlFiles)
            {
                if (ReadableProblem(crl, "CRL file") is { } problem)
                {
                    yield return problem;
                }
            }

            foreach (var crlDirectory in policy.Revocation.CrlDirectories.Where(d => !Directory.Exists(d)))
            {
                yield return Missing(crlDirectory, "CRL directory");
            }
        }

        if (policy.ClientCertificate is { } client)
        {
            if (CertificateFileProblem(client.CertificatePath, "client certificate file") is { } problem)
            {
                yield return problem;
            }

            if (client.KeyPath is { } key && key != client.CertificatePath && ReadableProblem(key, "client key file") is { } keyProblem)
            {
                yield return keyProblem;
            }
        }

        if (policy.PinnedCertificatePath is { } pin)
        {
            foreach (var finding in Pin(pin, now))
            {
                yield return finding;
            }
        }
    }

    private static IEnumerable<Finding> Pin(string path, DateTimeOffset now)
    {
        if (ReadableProblem(path, "pinned certificate file") is { } problem)
        {
            yield return problem;
            yield break;
        }

        var pinned = PinnedCertificate.Load(path);
        if (pinned.Certificate is not { } certificate)
        {
            yield return LintRules.Create(FindingCodes.LintTrustFileUnreadable, $"pinned certificate file \"{path}\" holds no PEM or DER certificate");
            yield break;
        }

        using (certificate)
        {
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            var date = notAfter.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            if (notAfter <= now)
            {
                yield return LintRules.Create(FindingCodes.LintPinExpired, $"the pinned certificate in \"{path}\" expired on {date}");
            }
            else if (notAfter - now <= PinWarning)
            {
                var days = (int)Math.Ceiling((notAfter - now).TotalDays);
                yield return LintRules.Create(FindingCodes.LintPinExpiring, $"the pinned certificate in \"{path}\" expires on {date}, in {days.ToString(CultureInfo.InvariantCulture)} day(s)");
            }
        }
    }

    /// <summary>Missing, unreadable, or without a single certificate.</summary>
    private static Finding? CertificateFileProblem(string path, string what)
    {
        if (ReadableProblem(path, what) is { } problem)
        {
            return problem;
        }

        byte[] bytes;
        try
        {
            bytes = CertificateFile.ReadBounded(path, what);
        }
        catch (DbTlsException)
        {
            return LintRules.Create(FindingCodes.LintTrustFileUnreadable, $"{what} \"{path}\" cannot be read");
        }

        var certificates = CertificateFile.Parse(bytes, out _);
        try
        {
            return certificates.Count == 0
                ? LintRules.Create(FindingCodes.LintTrustFileUnreadable, $"{what} \"{path}\" holds no PEM or DER certificate")
                : null;
        }
        finally
        {
            certificates.ForEach(c => c.Dispose());
        }
    }

    private static Finding? ReadableProblem(string path, string what)
    {
        if (Directory.Exists(path))
        {
            return LintRules.Create(FindingCodes.LintTrustFileUnreadable, $"{what} \"{path}\" is a directory, not a file");
        }

        if (!File.Exists(path))
        {
            return Missing(path, what);
        }

        try
        {
            using var stream = File.OpenRead(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return LintRules.Create(FindingCodes.LintTrustFileUnreadable, $"{what} \"{path}\" exists but cannot be read by this user");
        }
    }

    private static Finding Missing(string path, string what) =>
        LintRules.Create(FindingCodes.LintTrustFileMissing, $"{what} \"{path}\" does not exist");
}

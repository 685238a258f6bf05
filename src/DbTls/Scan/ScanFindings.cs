using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Scan.Probe;

namespace DbTls.Scan;

/// <summary>Judges a scan: each weakness the server accepts becomes one finding with a stable code.</summary>
internal static class ScanFindings
{
    private static readonly TimeSpan ExpiringWindow = TimeSpan.FromDays(30);

    public static List<Finding> For(ScanReport report, IReadOnlyList<VersionResult> versions, ScanProtocol protocol, DateTimeOffset? now = null)
    {
        var findings = new List<Finding>();
        var accepted = versions.Where(v => v.Accepted).ToArray();
        if (accepted.Length == 0)
        {
            findings.Add(NoTls(versions, protocol));
        }

        string[] legacy = [.. report.Sslv2 == true ? ["SSLv2"] : Array.Empty<string>(), .. accepted.Where(v => v.Version < TlsVersions.Tls12).Select(v => TlsVersions.Name(v.Version))];
        if (legacy.Length > 0)
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ScanLegacyVersion, $"the server accepts {string.Join(", ", legacy)}"));
        }

        var suites = accepted.SelectMany(v => v.Suites.Select(id => (v.Version, Suite: CipherSuite.Of(id)))).ToArray();
        AddSuites(findings, FindingCodes.ScanWeakCipher, suites.Where(s => Weak(s.Suite)));
        AddSuites(findings, FindingCodes.ScanNoForwardSecrecy, suites.Where(s => !s.Suite.ForwardSecret && !s.Suite.Anonymous));
        AddSuites(findings, FindingCodes.ScanCbcCipher, suites.Where(s => s.Suite.Cbc));

        var clientOrder = accepted.Where(v => v.Order == "client").Select(v => TlsVersions.Name(v.Version)).ToArray();
        if (clientOrder.Length > 0)
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ScanClientOrder, $"with {string.Join(", ", clientOrder)} the server picks the client's first acceptable suite"));
        }

        AddSignatureAlgorithms(findings, report);
        AddPlaintext(findings, report);
        var chain = accepted.LastOrDefault(v => v.First.Certificates.Count > 0)?.First.Certificates;
        if (chain is { Count: > 0 })
        {
            AddCertificate(findings, chain[0], now ?? DateTimeOffset.UtcNow);
        }

        return findings;
    }

    /// <summary>Signature algorithms no server should sign with (no hash, MD5, SHA-1, DSA), or any offer accepted unseen.</summary>
    private static void AddSignatureAlgorithms(List<Finding> findings, ScanReport report)
    {
        var weak = new List<string>();
        foreach (var version in report.Versions.Where(v => v.SignatureAlgorithms is not null))
        {
            var names = SignatureScheme.Known.Where(s => s.IsWeak && version.SignatureAlgorithms!.Contains(s.Name)).Select(s => s.Name).ToArray();
            if (version.AnySignatureAlgorithm == true)
            {
                weak.Add($"{version.Version}: any signature algorithm, even an unassigned one");
            }
            else if (names.Length > 0)
            {
                weak.Add($"{version.Version}: {string.Join(", ", names)}");
            }
        }

        if (weak.Count > 0)
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ScanWeakSignature, $"the server accepts {string.Join("; ", weak)}"));
        }
    }

    /// <summary>0 without warnings or errors; otherwise the largest exit code of their codes (scan.* → 1, net.* → 3).</summary>
    public static int ExitCode(IEnumerable<Finding> findings) =>
        findings.Where(f => f.Severity != Severity.Info).Select(f => FindingCatalog.ExitCodeFor(f.Code)).DefaultIfEmpty(ExitCodes.Ok).Max();

    /// <summary>Findings that mean the server could not be scanned at all (so no profile can be met).</summary>
    public static bool Unscannable(Finding finding) =>
        finding.Code is FindingCodes.ScanNoTls or FindingCodes.ScanNoAnswer or FindingCodes.ScanInvalidAnswer or FindingCodes.ScanProtocolUnknown
        || finding.Code.StartsWith("net.", StringComparison.Ordinal);

    private static Finding NoTls(IReadOnlyList<VersionResult> versions, ScanProtocol protocol)
    {
        var replies = versions.Select(v => v.First).ToArray();
        var path = ScanProtocols.Name(protocol);
        if (replies.All(r => r.Kind == ProbeReplyKind.NoEntry))
        {
            // The way in decides what kind of failure this is: no connection at all, a server that broke the
            // protocol before TLS, or a server that answered properly that it offers no TLS on this path.
            var first = replies[0];
            var detail = $"on the {path} path: {first.Detail ?? "no connection"}";
            return first.EntryCode switch
            {
                null => FindingCatalog.Create(FindingCodes.ScanNoTls, detail),
                FindingCodes.ScanNoAnswer => FindingCatalog.Create(FindingCodes.ScanNoAnswer, detail),
                { } code when code.StartsWith("server.", StringComparison.Ordinal) => FindingCatalog.Create(FindingCodes.ScanInvalidAnswer, detail),
                { } code when FindingCatalog.All.Any(e => e.Code == code) => FindingCatalog.Create(code, first.Detail ?? "no connection"),
                _ => FindingCatalog.Create(FindingCodes.NetUnreachable, first.Detail ?? "no connection"),
            };
        }
        if (replies.FirstOrDefault(r => r.Kind is ProbeReplyKind.Malformed or ProbeReplyKind.Oversized or ProbeReplyKind.Truncated) is { } bad
            && replies.All(r => r.Kind is not ProbeReplyKind.Alert))
        {
            return FindingCatalog.Create(FindingCodes.ScanInvalidAnswer, $"on the {path} path: {bad.Detail}");
        }

        if (replies.All(r => r.Kind == ProbeReplyKind.Silent))
        {
            return FindingCatalog.Create(FindingCodes.ScanNoAnswer, $"on the {path} path: {replies[0].Detail}");
        }

        var reasons = versions.Select(v => $"{TlsVersions.Name(v.Version)}: {TlsScanner.Refusal(v.First)}").Distinct(StringComparer.Ordinal);
        return FindingCatalog.Create(FindingCodes.ScanNoTls, $"on the {path} path no version was accepted ({string.Join("; ", reasons)})");
    }

    /// <summary>Broken or obsolete ciphers (RC4, DES, 3DES, RC2, IDEA, NULL, EXPORT) and unauthenticated key exchange.</summary>
    internal static bool Weak(CipherSuite suite) =>
        suite.Rc4 || suite.TripleDes || suite.NullCipher || suite.Export || suite.Anonymous
        || suite.Name.Contains("_DES_CBC_", StringComparison.Ordinal) || suite.Name.Contains("_IDEA_", StringComparison.Ordinal);

    private static void AddSuites(List<Finding> findings, string code, IEnumerable<(ushort Version, CipherSuite Suite)> suites)
    {
        var list = suites.ToArray();
        if (list.Length == 0)
        {
            return;
        }

        var names = list.Select(s => s.Suite.Name).Distinct(StringComparer.Ordinal).ToArray();
        var shown = names.Length <= 6 ? string.Join(", ", names) : string.Join(", ", names.Take(6)) + $" and {names.Length - 6} more";
        var versions = string.Join(", ", list.Select(s => TlsVersions.Name(s.Version)).Distinct(StringComparer.Ordinal));
        findings.Add(FindingCatalog.Create(code, $"{names.Length} accepted suite(s) with {versions}: {shown}"));
    }

    private static void AddPlaintext(List<Finding> findings, ScanReport report)
    {
        if (report.Postgres is { } pg)
        {
            if (pg.SslRequestAnswer == "N")
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ScanPlaintextAccepted, "the server answered the SSLRequest with 'N': it has no TLS and every session is unencrypted"));
            }
            else if (pg.PlaintextStartupAccepted == true)
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ScanPlaintextAccepted, "a startup without TLS was answered with an authentication request: pg_hba.conf lets this client in unencrypted"));
            }
        }

        if (report.Tds is { } tds && tds.EncryptionAnswers.TryGetValue("NOT_SUP", out var answer) && answer == "NOT_SUP")
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ScanPlaintextAccepted, "the server answered NOT_SUP to a client without encryption: the login and the session travel in clear text"));
        }
        else if (report.Tds is { } loginOnly && loginOnly.EncryptionAnswers.TryGetValue("OFF", out var off) && off == "OFF")
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ScanPlaintextAccepted, "the server answered OFF to a client asking for OFF: only the login is encrypted, queries and results travel in clear text"));
        }

        if (report.Mongo is { PlaintextHelloAnswered: true })
        {
            // mongod answers a plaintext hello under net.tls.mode disabled, allowTLS and preferTLS: a driver without
            // tls=true then logs in and runs every command unencrypted.
            findings.Add(FindingCatalog.Create(FindingCodes.ScanPlaintextAccepted, "the port answered a MongoDB hello without TLS: a client that does not ask for TLS authenticates and works unencrypted (mongod: set net.tls.mode to requireTLS)"));
        }
    }

    private static void AddCertificate(List<Finding> findings, byte[] der, DateTimeOffset now)
    {
        X509Certificate2 leaf;
        try
        {
            leaf = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            return;
        }

        using (leaf)
        {
            var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
            if (notAfter < now)
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ScanCertExpired, $"the server certificate {leaf.Subject} expired on {notAfter:yyyy-MM-dd HH:mm} UTC"));
            }
            else if (notAfter - now < ExpiringWindow)
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ScanCertExpiring, $"the server certificate {leaf.Subject} expires on {notAfter:yyyy-MM-dd HH:mm} UTC"));
            }

            if (leaf.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData))
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ScanCertSelfSigned, $"the server certificate {leaf.Subject} is its own issuer"));
            }

            if (WeakKey(leaf) is { } weak)
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ScanWeakKey, $"the server certificate's key is {weak}"));
            }
        }
    }

    private static string? WeakKey(X509Certificate2 leaf)
    {
        using var rsa = leaf.GetRSAPublicKey();
        if (rsa is not null)
        {
            return rsa.KeySize < 2048 ? $"RSA {rsa.KeySize} bits" : null;
        }

        using var dsa = leaf.GetDSAPublicKey();
        if (dsa is not null)
        {
            return dsa.KeySize < 2048 ? $"DSA {dsa.KeySize} bits" : null;
        }

        using var ec = leaf.GetECDsaPublicKey();
        return ec is not null && ec.KeySize < 256 ? $"EC {ec.KeySize} bits" : null;
    }
}

using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Reports;

namespace DbTls.Tls;

/// <summary>
/// Validates the server's chain under a <see cref="TlsPolicy"/>, recording every step. Runs inside
/// SslStream's callback so that a failure aborts the handshake before any application byte is sent.
/// </summary>
internal sealed class CertificateValidator
{
    private readonly TlsPolicy _policy;
    private readonly TlsTarget _target;

    public CertificateValidator(TlsPolicy policy, TlsTarget target)
    {
        _policy = policy;
        _target = target;
    }

    /// <summary>The first failure, when validation rejected the certificate.</summary>
    public Finding? Failure { get; private set; }

    public bool Validate(X509Certificate? certificate, X509Chain? presented, TlsReport report)
    {
        if (certificate is null)
        {
            report.Validation.Add(Step("certificate", "failed", "the server sent no certificate"));
            Failure = FindingCatalog.Create(FindingCodes.CertUntrusted, "the server sent no certificate");
            return _policy.Verification == VerificationLevel.None;
        }

        var leaf = new X509Certificate2(certificate);
        report.Certificates.Clear();
        report.Certificates.Add(CertificateDescriber.Describe(leaf));
        if (presented is not null)
        {
            foreach (var element in presented.ChainPolicy.ExtraStore)
            {
                if (!element.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
                {
                    report.Certificates.Add(CertificateDescriber.Describe(element));
                }
            }
        }

        if (_policy.Verification == VerificationLevel.None)
        {
            report.Validation.Add(Step("chain", "skipped", "verification is off under this policy"));
            return true;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        }

        if (_policy.Trust is TrustSource.PemFile file)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(file.Path);
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        }

        if (!chain.Build(leaf))
        {
            var detail = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
            report.Validation.Add(Step("chain", "failed", detail));
            Failure = FindingCatalog.Create(FindingCodes.CertUntrusted, $"certificate verify failed: {detail}");
            return false;
        }

        report.Validation.Add(Step("chain", "passed", $"chain of {chain.ChainElements.Count} leads to trusted root {chain.ChainElements[^1].Certificate.Subject}"));
        if (_policy.Verification == VerificationLevel.ChainAndHostName)
        {
            var name = _policy.ExpectedHostName ?? _target.HostName ?? string.Empty;
            if (!leaf.MatchesHostname(name))
            {
                report.Validation.Add(Step("hostname", "failed", $"certificate does not match host name \"{name}\""));
                Failure = FindingCatalog.Create(FindingCodes.CertHostnameMismatch, $"server certificate does not match host name \"{name}\"");
                return false;
            }

            report.Validation.Add(Step("hostname", "passed", $"certificate matches \"{name}\""));
        }

        return true;
    }

    private static ValidationStepReport Step(string step, string outcome, string detail) => new() { Step = step, Outcome = outcome, Detail = detail };
}

internal static class CertificateDescriber
{
    public static CertificateReport Describe(X509Certificate2 certificate)
    {
        var report = new CertificateReport
        {
            Subject = certificate.Subject,
            Issuer = certificate.Issuer,
            SerialNumber = certificate.SerialNumber,
            NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            SignatureAlgorithm = certificate.SignatureAlgorithm.FriendlyName ?? certificate.SignatureAlgorithm.Value ?? "",
            Sha256 = Convert.ToHexString(SHA256.HashData(certificate.RawDataMemory.Span)),
            Key = DescribeKey(certificate),
            IsCertificateAuthority = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority),
        };
        foreach (var san in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            report.DnsNames.AddRange(san.EnumerateDnsNames());
            report.IpAddresses.AddRange(san.EnumerateIPAddresses().Select(ip => ip.ToString()));
        }

        return report;
    }

    private static string DescribeKey(X509Certificate2 certificate)
    {
        using (var rsa = certificate.GetRSAPublicKey())
        {
            if (rsa is not null) return $"RSA {rsa.KeySize}";
        }

        using (var ecdsa = certificate.GetECDsaPublicKey())
        {
            if (ecdsa is not null) return $"ECDSA {ecdsa.ExportParameters(false).Curve.Oid.FriendlyName ?? ecdsa.KeySize.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        }

        return certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value ?? "unknown";
    }
}

using DbTls.Gates;
using DbTls.Reports;

namespace DbTls.Export;

/// <summary>One probe (a check of one target) as Prometheus metrics; the families <c>/probe</c> and <c>/metrics</c> expose.</summary>
public sealed record ProbeResult(string Target, CheckReport Report, TimeSpan Duration);

public static class ProbeMetrics
{
    private static readonly string[] Levels = [ProtectionLevels.Verified, ProtectionLevels.Encrypted, ProtectionLevels.LoginOnly, ProtectionLevels.None];

    /// <summary>Writes every family for <paramref name="probes"/>; each sample carries a <c>target</c> label.</summary>
    public static void Write(PrometheusText text, IReadOnlyList<ProbeResult> probes)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(probes);

        text.Family("dbtls_up", "gauge", "1 when the check met its connection string's policy (exit code 0), else 0.");
        foreach (var p in probes)
        {
            text.Sample(p.Report.ExitCode == 0 ? 1 : 0, ("target", p.Target), ("verdict", p.Report.Verdict));
        }

        text.Family("dbtls_protection", "gauge", "1 for the protection level the connection really had (verified, encrypted, login-only, none), 0 for the others.");
        foreach (var p in probes)
        {
            foreach (var level in Levels)
            {
                text.Sample(p.Report.Protection == level ? 1 : 0, ("target", p.Target), ("level", level));
            }
        }

        text.Family("dbtls_tls_version", "gauge", "The negotiated TLS version as a number (1.2, 1.3); 0 when no handshake completed.");
        foreach (var p in probes)
        {
            var minor = p.Report.Tls?.Protocol is { } protocol && TlsVersions.TryMinor(protocol, out var m) ? m : -1;
            text.Sample(minor < 0 ? 0 : 1 + (minor / 10.0), ("target", p.Target), ("version", p.Report.Tls?.Protocol ?? "none"));
        }

        text.Family("dbtls_cert_not_after_seconds", "gauge", "Expiry of each certificate the server presented, as Unix seconds; position leaf, intermediate or root.");
        foreach (var p in probes)
        {
            var certificates = p.Report.Tls?.Certificates ?? [];
            for (var i = 0; i < certificates.Count; i++)
            {
                var c = certificates[i];
                var position = i == 0 ? "leaf" : c.Subject == c.Issuer ? "root" : "intermediate";
                text.Sample(c.NotAfter.ToUnixTimeSeconds(), ("target", p.Target), ("position", position), ("subject", c.Subject), ("issuer", c.Issuer), ("serial", c.SerialNumber));
            }
        }

        text.Family("dbtls_check_duration_seconds", "gauge", "How long the check took, connect to verdict.");
        foreach (var p in probes)
        {
            text.Sample(p.Duration.TotalSeconds, ("target", p.Target));
        }

        text.Family("dbtls_finding", "gauge", "Findings of the check by code and severity (how many).");
        foreach (var p in probes)
        {
            foreach (var finding in p.Report.Findings.GroupBy(f => (f.Code, f.Severity)).OrderBy(g => g.Key.Code, StringComparer.Ordinal))
            {
                text.Sample(finding.Count(), ("target", p.Target), ("code", finding.Key.Code), ("severity", finding.Key.Severity));
            }
        }
    }
}

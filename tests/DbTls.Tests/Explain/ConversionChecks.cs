using DbTls.Conversion;
using DbTls.Dialects;
using DbTls.Policy;

namespace DbTls.Tests.Explain;

/// <summary>What the conversion tests of every protocol compare: policies field by field, and whether a conversion is exact.</summary>
internal static class ConversionChecks
{
    /// <summary>Every field of the policy, as text, so that two policies compare field by field (arrays by content).</summary>
    public static List<(string Field, string Value)> Fields(TlsPolicy p) =>
    [
        ("encryption", p.Encryption.ToString()),
        ("order", p.OpportunisticOrder.ToString()),
        ("fallback", p.FallBackOnHandshakeFailure.ToString()),
        ("verification", p.Verification.ToString()),
        ("trust", p.Trust.Describe()),
        ("rules", p.HostNameRules.ToString()),
        ("expected", p.ExpectedHostName ?? ""),
        ("crl", string.Join(",", p.Revocation.CrlFiles.Concat(p.Revocation.CrlDirectories)) + "/" + p.Revocation.Scope),
        ("ocsp", p.Revocation.Ocsp.Enabled + "/" + p.Revocation.Ocsp.QueryResponder),
        ("engine", p.ChainEngine.ToString()),
        ("client", p.ClientCertificateMode + "/" + p.ClientCertificate?.CertificatePath),
        ("min", p.MinProtocol?.ToString() ?? ""),
        ("max", p.MaxProtocol?.ToString() ?? ""),
        ("sni", p.SendSni.ToString()),
        ("alpn", string.Join(",", p.Alpn)),
        ("pin", p.PinnedCertificatePath ?? ""),
    ];

    /// <summary>Only notes that name another driver's inherent rule (host-name rules, chain engine, SNI, the JVM's trust store for the system roots).</summary>
    public static bool Exact(ConversionOutcome outcome) =>
        outcome.Rendered is not null
        && outcome.Rendered.Notes.Concat(outcome.Differences).All(n => n.Effect == ConversionEffect.Different && n.Setting is "host-name rules" or "chain engine" or "sni" or "trust store" or "driver release" or "driver support");
}

using System.Collections.Immutable;
using DbTls.Policy;
using DbTls.Reports;
using DbTls.Tls.HostNames;

namespace DbTls.Checks;

/// <summary>The report's policy section, the same for every protocol; only the summary and the ALPN actually offered differ.</summary>
internal static class PolicyReports
{
    public static PolicyReport Of(TlsPolicy policy, string summary, ImmutableArray<string> alpn) => new()
    {
        Summary = summary,
        Encryption = PostgresCheck.EncryptionName(policy.Encryption),
        Verification = policy.Verification == VerificationLevel.PinnedCertificate ? "pinned-certificate" : PostgresCheck.VerificationName(policy.Verification),
        Trust = policy.PinnedCertificatePath is { } pin ? $"{policy.Trust.Describe()}; pinned certificate {pin}" : policy.Trust.Describe(),
        HostNameRules = HostNameMatchers.For(policy.HostNameRules).Name,
        MinProtocol = policy.MinProtocol?.ToDisplay(),
        MaxProtocol = policy.MaxProtocol?.ToDisplay(),
        CrlFiles = [.. policy.Revocation.CrlFiles.IsDefault ? [] : policy.Revocation.CrlFiles],
        CrlDirectories = [.. policy.Revocation.CrlDirectories.IsDefault ? [] : policy.Revocation.CrlDirectories],
        ClientCertificate = policy.ClientCertificate?.CertificatePath,
        Sni = policy.SendSni,
        Alpn = [.. alpn.IsDefault ? [] : alpn],
    };
}

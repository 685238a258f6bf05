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
        Trust = TrustOf(policy),
        HostNameRules = HostNameMatchers.For(policy.HostNameRules).Name,
        MinProtocol = policy.MinProtocol?.ToDisplay(),
        MaxProtocol = policy.MaxProtocol?.ToDisplay(),
        CrlFiles = [.. policy.Revocation.CrlFiles.IsDefault ? [] : policy.Revocation.CrlFiles],
        CrlDirectories = [.. policy.Revocation.CrlDirectories.IsDefault ? [] : policy.Revocation.CrlDirectories],
        ClientCertificate = policy.ClientCertificate?.CertificatePath,
        Sni = policy.SendSni,
        Alpn = [.. alpn.IsDefault ? [] : alpn],
    };

    /// <summary>
    /// Where the policy's trust comes from. Under verification none no trust source decides anything, so the report says
    /// so rather than naming a store the driver never consults (the stricter-mode check names its own roots in its finding).
    /// </summary>
    internal static string TrustOf(TlsPolicy policy) =>
        policy.Verification == VerificationLevel.None ? NoTrust
        : policy.PinnedCertificatePath is { } pin ? $"{policy.Trust.Describe()}; pinned certificate {pin}"
        : policy.Trust.Describe();

    /// <summary>The trust of a policy that verifies nothing.</summary>
    internal const string NoTrust = "none (the certificate is not verified)";
}

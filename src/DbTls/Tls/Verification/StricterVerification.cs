using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls.Trust;

namespace DbTls.Tls.Verification;

/// <summary>
/// The full verification (chain, host name by the dialect's rules, validity) for a policy that does not demand all of
/// it (libpq require or verify-ca, TrustServerCertificate=True, tlsInsecure). Its steps never decide; a failure becomes
/// one <see cref="FindingCodes.CertWouldFailVerification"/> warning saying what a stricter setting of the same driver
/// would have rejected, so an expired or wrongly named certificate is not hidden behind an OK verdict.
/// </summary>
internal sealed class StricterVerification
{
    /// <summary>Every message starts so; the dialect names its own stricter setting in its place (<c>StricterSetting</c>).</summary>
    public const string MessagePrefix = "with full certificate verification this connection would fail: ";

    private readonly string? _noChainReason;

    private StricterVerification(TrustAnchors? trust, string? noChainReason)
    {
        Trust = trust;
        _noChainReason = noChainReason;
    }

    /// <summary>The trust anchors the stricter setting would use; null when the chain cannot be judged.</summary>
    public TrustAnchors? Trust { get; }

    /// <summary>Null when the policy already verifies everything (or pins a certificate, which its own rules decide).</summary>
    /// <param name="trust">The anchors the policy itself loaded (verify-ca), or null.</param>
    public static StricterVerification? For(TlsPolicy policy, TrustAnchors? trust)
    {
        switch (policy.Verification)
        {
            case VerificationLevel.Chain:
                return new StricterVerification(trust, null);
            case VerificationLevel.None when policy.Trust is TrustSource.SystemStore:
                // Reading the system store costs more than the rest of a check (measured in session 3) and is switched
                // off for single checks that do not use it, so the chain is not judged against it here.
                return new StricterVerification(null, "the settings name no trust file, and the system trust store is not read when the policy does not use it");
            case VerificationLevel.None:
                try
                {
                    return new StricterVerification(TrustStoreLoader.Load(policy.Trust), null);
                }
                catch (DbTlsException ex)
                {
                    return new StricterVerification(null, $"the trust anchors could not be read: {ex.Message}");
                }

            default:
                return null;
        }
    }

    /// <summary>The steps that need no trust anchor, when there is none to judge the chain with.</summary>
    public List<StepResult> WithoutChain(IReadOnlyList<X509Certificate2> presented, DateTimeOffset now)
    {
        var reason = $"not checked: {_noChainReason}";
        return
        [
            StepResult.Skip(ValidationSteps.Chain, reason),
            StepResult.Skip(ValidationSteps.Purpose, reason),
            StepResult.Skip(ValidationSteps.Revocation, reason),
            ValidityCheck.Run(presented, now),
        ];
    }

    /// <summary>The steps as the report shows them: skipped (they did not decide), with what the check found.</summary>
    public List<StepResult> AsNotRequired(IEnumerable<StepResult> shadow) =>
    [
        .. shadow.Select(s => StepResult.Skip(s.Step, s.Outcome switch
        {
            ValidationSteps.Passed => $"not required by this policy; checked anyway and it would pass: {s.Detail}",
            ValidationSteps.Failed => $"not required by this policy; checked anyway and a stricter setting would reject it: {s.Detail}",
            _ => $"not required by this policy; {s.Detail}",
        })),
    ];

    /// <summary>One warning naming every step a stricter setting would fail, or null when all would pass.</summary>
    public Finding? Warning(IEnumerable<StepResult> shadow)
    {
        var failures = shadow.Where(s => s.Failure is not null).Select(s => s.Failure!.Message).ToList();
        return failures.Count == 0
            ? null
            : FindingCatalog.Create(FindingCodes.CertWouldFailVerification, MessagePrefix + string.Join("; and ", failures));
    }
}

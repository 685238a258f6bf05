using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls.OpenSsl;
using DbTls.Tls.Trust;

namespace DbTls.Tls.Verification;

/// <summary>
/// For a driver that verifies with OpenSSL, OpenSSL's verdict replaces dbtls' own for the chain, purpose, revocation and
/// validity steps; dbtls' steps stay in the report as the explanation. When OpenSSL accepts, a step dbtls failed is shown
/// as passed with what dbtls' own check had said; when OpenSSL rejects, its error becomes the failure of the step it
/// belongs to, and other steps dbtls failed no longer decide (OpenSSL stopped before or never objected to them).
/// </summary>
internal static class OpenSslDecision
{
    private static readonly string[] DecidedSteps = [ValidationSteps.Chain, ValidationSteps.Purpose, ValidationSteps.Revocation, ValidationSteps.Validity];

    /// <summary>Rewrites <paramref name="steps"/>; returns the path OpenSSL built, or null when .NET's verdict stands (engine unavailable).</summary>
    public static IReadOnlyList<X509Certificate2>? Apply(List<StepResult> steps, IReadOnlyList<X509Certificate2> presented, TlsPolicy policy, TrustAnchors trust,
        DateTimeOffset now, List<Finding> warnings)
    {
        var verdict = OpenSslChainEngine.Verify(presented, OpenSslStoreSetup.From(policy), now, out var unavailable);
        if (verdict is null)
        {
            var reason = $"the driver verifies with OpenSSL, but {unavailable}; .NET's chain engine decided instead, and its verdict may differ from the driver's";
            warnings.Add(FindingCatalog.Create(FindingCodes.TlsChainEngineUnavailable, reason));
            Replace(steps, ValidationSteps.Chain, s => s with { Detail = $"{s.Detail} [{reason}]" });
            return null;
        }

        var path = string.Join(" -> ", verdict.Chain.Select(Describe.Name));
        if (verdict.Verified)
        {
            foreach (var name in DecidedSteps)
            {
                Replace(steps, name, s => s.Failure is null ? s : StepResult.Pass(name, $"OpenSSL accepted (X509_V_OK); dbtls' own check said: {s.Detail}"));
            }

            Replace(steps, ValidationSteps.Chain, s => StepResult.Pass(ValidationSteps.Chain,
                $"OpenSSL verified the chain it built: {path}, ending at {Describe.Name(verdict.Chain[^1])} from {trust.Description}"));
            return verdict.Chain;
        }

        var (step, code) = OpenSslErrors.Classify(verdict.Error);
        var (message, remedy) = OpenSslExplanation.Explain(verdict, presented, trust);
        var detail = $"{message} (OpenSSL: error {verdict.Error} \"{verdict.ErrorText}\" at depth {verdict.Depth}; path built: {path}; trust: {trust.Description})";
        foreach (var name in DecidedSteps.Where(n => n != step))
        {
            Replace(steps, name, s => s.Failure is null ? s
                : StepResult.Skip(name, $"not decisive: OpenSSL rejected the chain with \"{verdict.ErrorText}\" and did not object here; dbtls' own check said: {s.Detail}"));
        }

        var failure = FindingCatalog.Create(code, $"certificate verify failed: {message}", remedy);
        Replace(steps, step, _ => new StepResult(step, ValidationSteps.Failed, detail, failure));
        if (step != ValidationSteps.Chain)
        {
            // The path itself was built; say which one, since OpenSSL's may not be the one dbtls' own check found.
            Replace(steps, ValidationSteps.Chain, s => s with { Detail = $"OpenSSL built the path {path} from {trust.Description} (and rejected it at the {step} step); dbtls' own check said: {s.Detail}" });
        }
        return verdict.Chain;
    }

    private static void Replace(List<StepResult> steps, string name, Func<StepResult, StepResult> change)
    {
        var index = steps.FindIndex(s => s.Step == name);
        if (index >= 0)
        {
            steps[index] = change(steps[index]);
        }
    }
}

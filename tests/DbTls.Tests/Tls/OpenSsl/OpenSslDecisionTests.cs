using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls.Trust;
using DbTls.Tls.Verification;

namespace DbTls.Tests.Tls.OpenSsl;

/// <summary>How OpenSSL's verdict takes over dbtls' own validation steps for an OpenSSL-based driver.</summary>
public sealed class OpenSslDecisionTests(CrossSignedHierarchyFixture fixture) : IClassFixture<CrossSignedHierarchyFixture>
{
    private readonly CrossSignedHierarchy _pki = fixture.Hierarchy;

    [Fact]
    public void OpenSsl_acceptance_overrides_a_step_dbtls_failed_and_keeps_what_dbtls_said()
    {
        var (steps, built, warnings) = Decide("R2,cross");

        Assert.Empty(warnings);
        Assert.NotNull(built);
        Assert.Equal(_pki.R2.Certificate.RawData, built[^1].RawData);
        Assert.All(steps, s => Assert.Null(s.Failure));
        Assert.StartsWith("OpenSSL verified the chain it built", Step(steps, ValidationSteps.Chain).Detail, StringComparison.Ordinal);
        Assert.Contains("dbtls' own check said: dbtls thinks it expired", Step(steps, ValidationSteps.Validity).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenSsl_rejection_decides_and_other_dbtls_failures_no_longer_do()
    {
        var (steps, built, _) = Decide("cross,R2");

        Assert.NotNull(built);
        Assert.Equal(_pki.R2ByR1.RawData, built[^1].RawData); // the path stopped at the cross certificate
        var chain = Step(steps, ValidationSteps.Chain);
        Assert.Equal(ValidationSteps.Failed, chain.Outcome);
        Assert.Equal(FindingCodes.CertUntrusted, chain.Failure?.Code);
        Assert.Contains("error 2 \"unable to get issuer certificate\" at depth 2", chain.Detail, StringComparison.Ordinal);
        var validity = Step(steps, ValidationSteps.Validity);
        Assert.Equal(ValidationSteps.Skipped, validity.Outcome);
        Assert.StartsWith("not decisive", validity.Detail, StringComparison.Ordinal);
        Assert.Same(chain, steps.First(s => s.Failure is not null));
    }

    private (List<StepResult> Steps, IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2>? Built, List<Finding> Warnings) Decide(string trust)
    {
        var file = _pki.WriteTrust(trust);
        var policy = new TlsPolicy { Encryption = EncryptionMode.Required, Verification = VerificationLevel.Chain, Trust = new TrustSource.PemFile(file), ChainEngine = ChainEngine.OpenSsl };
        // dbtls' own steps as .NET would give them here: the chain passes, and (to see the override) validity fails.
        List<StepResult> steps =
        [
            StepResult.Pass(ValidationSteps.Chain, "dbtls' .NET path"),
            StepResult.Pass(ValidationSteps.Purpose, "serverAuth"),
            StepResult.Skip(ValidationSteps.Revocation, "no CRL"),
            StepResult.Fail(ValidationSteps.Validity, FindingCodes.CertExpired, "dbtls thinks it expired"),
        ];
        var warnings = new List<Finding>();
        var built = OpenSslDecision.Apply(steps, _pki.ServerChains["L2,I2"], policy, TrustStoreLoader.Load(policy.Trust), DateTimeOffset.UtcNow, warnings);
        return (steps, built, warnings);
    }

    private static StepResult Step(List<StepResult> steps, string name) => steps.Single(s => s.Step == name);
}

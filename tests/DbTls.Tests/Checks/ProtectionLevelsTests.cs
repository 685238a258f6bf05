using DbTls.Reports;
using DbTls.Tls.Verification;

namespace DbTls.Tests.Checks;

/// <summary>The protection level from what the report says happened, for the corners the end-to-end tests do not reach.</summary>
public sealed class ProtectionLevelsTests
{
    private static CheckReport Encrypted(string? scope, params (string Step, string Outcome)[] steps) => new()
    {
        Negotiation = new NegotiationReport { Encrypted = scope != NegotiationScopes.LoginOnly, Scope = scope },
        Tls = new TlsReport { Validation = [.. steps.Select(s => new ValidationStepReport { Step = s.Step, Outcome = s.Outcome })] },
    };

    [Fact]
    public void A_matching_pin_alone_verifies_the_server_as_SqlClient_decides()
    {
        var report = Encrypted(NegotiationScopes.Full,
            (ValidationSteps.Pin, ValidationSteps.Passed), (ValidationSteps.Chain, ValidationSteps.Failed), (ValidationSteps.Hostname, ValidationSteps.Skipped));
        Assert.Equal(ProtectionLevels.Verified, ProtectionLevels.Of(report));
    }

    [Fact]
    public void A_chain_without_a_host_name_check_is_only_encrypted()
    {
        var report = Encrypted(null, (ValidationSteps.Chain, ValidationSteps.Passed), (ValidationSteps.Hostname, ValidationSteps.Skipped));
        Assert.Equal(ProtectionLevels.Encrypted, ProtectionLevels.Of(report));
        report.Protection = ProtectionLevels.Of(report);
        Assert.Equal("encrypted, host name not verified", ProtectionLevels.Describe(report));
    }

    [Fact]
    public void Login_only_scope_wins_even_when_the_certificate_was_verified()
    {
        var report = Encrypted(NegotiationScopes.LoginOnly, (ValidationSteps.Chain, ValidationSteps.Passed), (ValidationSteps.Hostname, ValidationSteps.Passed));
        Assert.Equal(ProtectionLevels.LoginOnly, ProtectionLevels.Of(report));
    }

    [Fact]
    public void No_connection_is_no_protection()
    {
        Assert.Equal(ProtectionLevels.None, ProtectionLevels.Of(new CheckReport()));
    }
}

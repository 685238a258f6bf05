using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Tests.Checks;

/// <summary>The one-sentence verdict for the corners the end-to-end tests do not reach.</summary>
public sealed class VerdictSummaryTests
{
    private static CheckReport Rejected(bool encrypted) => new()
    {
        Verdict = Verdicts.Rejected,
        Negotiation = new NegotiationReport { Encrypted = encrypted },
    };

    [Fact]
    public void A_channel_binding_failure_is_about_the_TLS_channel_not_the_credentials()
    {
        var failure = FindingCatalog.Create(FindingCodes.AuthChannelBinding, "x");
        Assert.Equal(VerdictSummary.Rejected, VerdictSummary.Of(Rejected(encrypted: true), failure));
    }

    [Fact]
    public void A_certificate_rejection_keeps_the_policy_wording()
    {
        var failure = FindingCatalog.Create(FindingCodes.CertExpired, "x");
        Assert.Equal(VerdictSummary.Rejected, VerdictSummary.Of(Rejected(encrypted: true), failure));
    }

    [Fact]
    public void Any_login_refusal_after_tls_says_tls_succeeded()
    {
        var failure = FindingCatalog.Create(FindingCodes.AuthMechanismUnsupported, "x");
        Assert.Equal(VerdictSummary.LoginFailedAfterTls, VerdictSummary.Of(Rejected(encrypted: true), failure));
    }
}

using DbTls.Gates;
using DbTls.Reports;

namespace DbTls.Tests.Gates;

public sealed class GateTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 10, 0, 0, 0, TimeSpan.Zero);

    private static CheckReport Report(string protection, string? protocol = "TLSv1.3", string verification = "chain-and-hostname", int exitCode = 0, params DateTimeOffset[] notAfter) => new()
    {
        Verdict = exitCode == 0 ? Verdicts.Ok : Verdicts.Rejected,
        ExitCode = exitCode,
        Protection = protection,
        Policy = new PolicyReport { Verification = verification },
        Tls = protocol is null ? null : new TlsReport
        {
            Protocol = protocol,
            Certificates = [.. notAfter.Select((n, i) => new CertificateReport { Subject = $"CN=cert{i}", NotBefore = Now.AddYears(-1), NotAfter = n })],
        },
    };

    private static Gate Parse(params string[] values) =>
        new(values.SelectMany(v => GateProfiles.TryParse(v, out var rules, out var error) ? rules : throw new InvalidOperationException(error)));

    [Theory]
    [InlineData("verified", "verified", true)]
    [InlineData("verified", "encrypted", false)]
    [InlineData("verified", "login-only", false)]
    [InlineData("encrypted", "verified", true)]
    [InlineData("encrypted", "encrypted", true)]
    [InlineData("encrypted", "login-only", false)]
    [InlineData("encrypted", "none", false)]
    public void Protection_requirement_passes_at_or_above_its_level(string requirement, string protection, bool passes)
    {
        var evaluation = Parse(requirement).Evaluate(Report(protection), Now);
        Assert.Equal(passes, evaluation.Passed);
        Assert.Equal(passes ? 0 : 4, evaluation.ExitCode(0));
    }

    [Fact]
    public void The_checks_own_failure_wins_over_the_gate()
    {
        var evaluation = Parse("verified").Evaluate(Report("none", protocol: null, exitCode: 3), Now);
        Assert.False(evaluation.Passed);
        Assert.Equal(3, evaluation.ExitCode(3));
    }

    [Fact]
    public void An_empty_gate_keeps_the_default_exit_codes()
    {
        Assert.True(Gate.None.Evaluate(Report("none"), Now).Passed);
        Assert.Equal(0, Gate.None.Evaluate(Report("none"), Now).ExitCode(0));
    }

    [Fact]
    public void Verify_full_everywhere_needs_the_string_to_ask_for_it_not_only_a_verified_result()
    {
        Assert.True(Parse("verify-full-everywhere").Evaluate(Report("verified"), Now).Passed);
        var failed = Parse("verify-full-everywhere").Evaluate(Report("verified", verification: "chain"), Now);
        Assert.False(failed.Passed);
        Assert.Contains("does not ask for full verification", Assert.Single(failed.Results).Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void No_expiry_within_names_each_certificate_inside_the_window()
    {
        var report = Report("verified", notAfter: [Now.AddDays(90), Now.AddDays(10), Now.AddDays(-1)]);
        var result = Assert.Single(Parse("no-expiry-within:30d").Evaluate(report, Now).Results);
        Assert.False(result.Passed);
        Assert.Equal(["CN=cert1 expires on 2026-01-20, within 30 days", "CN=cert2 expired on 2026-01-09"], result.Reasons);
        Assert.True(Parse("no-expiry-within:5d").Evaluate(Report("verified", notAfter: [Now.AddDays(6)]), Now).Passed);
        Assert.False(Parse("no-expiry-within:48h").Evaluate(Report("verified", notAfter: [Now.AddHours(47)]), Now).Passed);
    }

    [Fact]
    public void No_expiry_within_fails_when_no_certificate_was_seen()
    {
        Assert.False(Parse("no-expiry-within:30d").Evaluate(Report("none", protocol: null), Now).Passed);
    }

    [Theory]
    [InlineData("min-tls:1.2", "TLSv1.3", true)]
    [InlineData("min-tls:1.2", "TLSv1.2", true)]
    [InlineData("min-tls:1.2", "TLSv1.1", false)]
    [InlineData("min-tls:1.3", "TLSv1.2", false)]
    [InlineData("min-tls:1.2", null, false)]
    public void Min_tls_compares_the_negotiated_version(string requirement, string? protocol, bool passes) =>
        Assert.Equal(passes, Parse(requirement).Evaluate(Report("verified", protocol), Now).Passed);

    [Fact]
    public void Fail_on_counts_findings_at_or_above_the_severity()
    {
        var report = Report("encrypted");
        report.Findings.Add(new FindingReport { Code = "tls.cert.hostname-unchecked", Severity = "warning", Message = "m" });
        report.Findings.Add(new FindingReport { Code = "config.note", Severity = "info", Message = "n" });
        Assert.True(GateProfiles.TryParseFailOn("warning", out var warning));
        Assert.True(GateProfiles.TryParseFailOn("error", out var error));
        Assert.False(new Gate([warning!]).Evaluate(report, Now).Passed);
        Assert.True(new Gate([error!]).Evaluate(report, Now).Passed);
        Assert.False(GateProfiles.TryParseFailOn("info", out _));
    }

    [Theory]
    [InlineData("verifed")]
    [InlineData("min-tls:1.4")]
    [InlineData("min-tls:TLSv1.2x")]
    [InlineData("no-expiry-within:30")]
    [InlineData("no-expiry-within:-3d")]
    [InlineData("no-expiry-within:99999d")]
    [InlineData("")]
    public void Unknown_profiles_are_refused_with_the_list_of_profiles(string value)
    {
        Assert.False(GateProfiles.TryParse(value, out _, out var error));
        Assert.Contains("verify-full-everywhere", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_that_looks_like_a_secret_is_not_echoed()
    {
        Assert.False(GateProfiles.TryParse("password=hunter2 x", out _, out var error));
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_file_lists_requirements_and_fail_on()
    {
        Assert.True(GatePolicyFile.TryParse("""{"require": ["verified", "min-tls:1.3"], "failOn": "warning"}""", "p.json", out var rules, out var error), error);
        Assert.Equal(["verified", "min-tls:1.3", "fail-on:warning"], rules.Select(r => r.Name));
        var evaluation = new Gate(rules).Evaluate(Report("verified", "TLSv1.2"), Now);
        Assert.Equal(["min-tls:1.3"], evaluation.Failures.Select(f => f.Requirement));
    }

    [Theory]
    [InlineData("""{"require": ["verifed"]}""", "verifed")]
    [InlineData("""{"require": ["verified"], "failOn": "sometimes"}""", "failOn")]
    [InlineData("""{"requires": ["verified"]}""", "not valid JSON")]
    [InlineData("""{"require": [""", "not valid JSON")]
    public void A_bad_policy_file_says_what_is_wrong(string json, string expected)
    {
        Assert.False(GatePolicyFile.TryParse(json, "p.json", out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_policy_file_is_an_error_not_an_exception()
    {
        Assert.False(GateProfiles.TryParse("/nonexistent/dbtls-policy.json", out _, out var error));
        Assert.Contains("cannot be read", error, StringComparison.Ordinal);
    }
}

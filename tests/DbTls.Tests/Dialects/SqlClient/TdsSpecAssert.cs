using DbTls.Diagnostics;
using DbTls.Dialects.Tds;

namespace DbTls.Tests.Dialects;

/// <summary>Assertions shared by the TDS dialect tests.</summary>
internal static class TdsSpecAssert
{
    /// <summary>The secret appears nowhere a person or a log could see it.</summary>
    public static void NoSecret(TdsConnectionSpec spec, string secret)
    {
        Assert.DoesNotContain(secret, spec.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, spec.Tls.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, spec.RedactedConnectionString, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, spec.PolicySummary, StringComparison.Ordinal);
        foreach (var source in spec.Sources)
        {
            Assert.DoesNotContain(secret, source, StringComparison.Ordinal);
        }

        foreach (var finding in spec.Findings)
        {
            Assert.DoesNotContain(secret, finding.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, finding.Remedy, StringComparison.Ordinal);
        }
    }

    /// <summary>Parsing fails with config.invalid, and the message never repeats the secret.</summary>
    public static DbTlsException Invalid(Func<TdsConnectionSpec> parse, string? secret = null)
    {
        var error = Assert.Throws<DbTlsException>(() => parse());
        Assert.Equal(FindingCodes.ConfigInvalid, error.Code);
        if (secret is not null)
        {
            Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, error.Remedy ?? string.Empty, StringComparison.Ordinal);
        }

        return error;
    }

    public static void Rule(TdsAnswerRule rule, TdsAnswerAction action, bool verifies)
    {
        Assert.Equal(action, rule.Action);
        Assert.Equal(verifies, rule.VerifiesCertificate);
    }

    public static bool HasFinding(TdsConnectionSpec spec, string code, string fragment) =>
        spec.Findings.Any(f => f.Code == code && f.Message.Contains(fragment, StringComparison.OrdinalIgnoreCase));
}

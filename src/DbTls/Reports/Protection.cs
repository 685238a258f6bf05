using DbTls.Tls.Verification;

namespace DbTls.Reports;

/// <summary>
/// How protected the connection that was made really was, whatever the policy asked for: the verdict says
/// whether the policy held, this says what a reader of the traffic or an impostor could have done.
/// </summary>
public static class ProtectionLevels
{
    /// <summary>TLS covered the whole session and the server was verified: chain and host name, or a pinned certificate.</summary>
    public const string Verified = "verified";

    /// <summary>TLS covered the whole session, but the server was not (fully) verified: an impostor could have answered.</summary>
    public const string Encrypted = "encrypted";

    /// <summary>SQL Server: only the LOGIN7 packet went through TLS; everything after it crossed in clear.</summary>
    public const string LoginOnly = "login-only";

    /// <summary>No TLS on the connection that was used, or no connection was made.</summary>
    public const string None = "none";

    /// <summary>The level of what the report says happened on the final connection.</summary>
    public static string Of(CheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Negotiation.Scope == NegotiationScopes.LoginOnly)
        {
            return LoginOnly;
        }

        if (!report.Negotiation.Encrypted || report.Tls is null)
        {
            return None;
        }

        return ServerVerified(report.Tls.Validation) ? Verified : Encrypted;
    }

    /// <summary>A few words for people, e.g. <c>encrypted, server not verified</c>.</summary>
    public static string Describe(CheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Protection switch
        {
            Verified => "verified: encrypted, server certificate and host name checked",
            Encrypted => Passed(report.Tls?.Validation, ValidationSteps.Chain)
                ? "encrypted, host name not verified"
                : "encrypted, server not verified",
            LoginOnly => "login only: only the login packet was encrypted",
            _ => "not encrypted",
        };
    }

    private static bool ServerVerified(List<ValidationStepReport> steps) =>
        Passed(steps, ValidationSteps.Pin) || (Passed(steps, ValidationSteps.Chain) && Passed(steps, ValidationSteps.Hostname));

    private static bool Passed(List<ValidationStepReport>? steps, string step) =>
        steps is not null && steps.Any(s => s.Step == step && s.Outcome == ValidationSteps.Passed);
}

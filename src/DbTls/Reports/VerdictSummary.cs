using DbTls.Diagnostics;

namespace DbTls.Reports;

/// <summary>
/// The verdict in one sentence, the same in text and JSON. A refused login after a good handshake is the case it is
/// for: "REJECTED" alone reads as a TLS problem, while TLS did its job and only the credentials (or the server's
/// authentication rules) failed.
/// </summary>
public static class VerdictSummary
{
    public const string Ok = "the connection meets the policy";
    public const string Rejected = "the connection does not meet the policy";
    public const string Failed = "the check could not be completed";
    public const string LoginFailedAfterTls = "TLS succeeded; the login failed";
    public const string LoginFailedWithoutTls = "the login failed (the connection was not encrypted)";

    /// <param name="failure">The finding that decided the verdict, when there is one.</param>
    public static string Of(CheckReport report, Finding? failure)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Verdict == Verdicts.Ok)
        {
            return Ok;
        }

        // auth.channel-binding is about the TLS channel itself, not the credentials.
        var loginFailed = failure is not null
            && failure.Code.StartsWith("auth.", StringComparison.Ordinal)
            && failure.Code != FindingCodes.AuthChannelBinding;
        return loginFailed
            ? report.Negotiation.Encrypted ? LoginFailedAfterTls : LoginFailedWithoutTls
            : report.Verdict == Verdicts.Rejected ? Rejected : Failed;
    }
}

using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Checks;

/// <summary>How every check ends: the failure, if any, decides verdict and exit code; the findings go into the report.</summary>
internal static class CheckConclusion
{
    /// <param name="findings">Everything found, the failure (when there is one) already among them.</param>
    public static void Apply(CheckReport report, IEnumerable<Finding> findings, Finding? failure)
    {
        if (failure is not null)
        {
            report.ExitCode = FindingCatalog.ExitCodeFor(failure.Code);

            // Only a certificate, TLS, server or login refusal is a rejection; input, network and internal errors mean the check could not be made.
            report.Verdict = failure.Code == FindingCodes.InternalError || report.ExitCode != ExitCodes.Rejected ? Verdicts.Failed : Verdicts.Rejected;
        }
        else
        {
            report.ExitCode = ExitCodes.Ok;
            report.Verdict = Verdicts.Ok;
        }

        report.Protection = ProtectionLevels.Of(report);
        report.Summary = VerdictSummary.Of(report, failure);
        report.Findings = [.. findings.Select(f => FindingReport.From(Dialects.DialectRemedies.For(report.Target.Dialect,
            Dialects.StricterSetting.For(report.Target.Dialect, report.Target.ConnectionString, f))))];
    }

    /// <summary>
    /// The finding for an exception no layer turned into a finding: a bug of dbtls, described without the
    /// exception's .NET type name (which means nothing to a user); the message is already scrubbed.
    /// </summary>
    public static Finding Unexpected(string scrubbedMessage) =>
        FindingCatalog.Create(FindingCodes.InternalError, $"an unexpected error stopped the check: {scrubbedMessage}");
}

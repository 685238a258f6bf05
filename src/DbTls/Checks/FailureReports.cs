using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Checks;

/// <summary>Reports for checks that ended before the check itself could report: bad input, time limits, bugs.</summary>
internal static class FailureReports
{
    /// <summary>A failure judged by the same rule every check ends with (<see cref="CheckConclusion"/>).</summary>
    public static CheckReport Create(Finding finding, TargetReport target, IEnumerable<Finding>? earlier = null)
    {
        var report = new CheckReport { Target = target };
        CheckConclusion.Apply(report, [.. earlier ?? [], finding], finding);
        return report;
    }

    /// <summary>
    /// A connection string the dialect could not read: always invalid input (exit 2), whatever the
    /// parser's code, except a bug in the parser, which is an internal error (exit 1).
    /// </summary>
    public static CheckReport InvalidInput(Finding finding, TargetReport target)
    {
        var report = Create(finding, target);
        report.Verdict = Verdicts.Failed;
        report.ExitCode = finding.Code == FindingCodes.InternalError ? ExitCodes.Rejected : ExitCodes.InvalidInput;
        report.Summary = VerdictSummary.Failed;
        return report;
    }

    /// <summary>The target as far as it is known without a parsed connection string.</summary>
    public static TargetReport BareTarget(string dialect, string redactedConnectionString) => new()
    {
        Dialect = dialect,
        ConnectionString = redactedConnectionString,
    };
}

using DbTls.Cli.Dialects;
using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Cli;

/// <summary>Reports for checks that ended before the check itself could report: bad input, unexpected errors.</summary>
internal static class FailureReports
{
    /// <summary>A failure with the exit code its finding's family leads to.</summary>
    public static CheckReport Create(Finding finding, TargetReport target)
    {
        var exitCode = FindingCatalog.ExitCodeFor(finding.Code);

        // A certificate or server failure that escaped the check is still a rejection; input,
        // network and internal errors mean the check could not be made.
        var rejected = exitCode == ExitCodes.Rejected && finding.Code != FindingCodes.InternalError;
        return Build(rejected ? Verdicts.Rejected : Verdicts.Failed, exitCode, finding, target);
    }

    /// <summary>
    /// A connection string the dialect could not read: always invalid input (exit 2), whatever the
    /// parser's code, except a bug in the parser, which is an internal error (exit 1).
    /// </summary>
    public static CheckReport InvalidInput(Finding finding, TargetReport target) =>
        Build(Verdicts.Failed, finding.Code == FindingCodes.InternalError ? ExitCodes.Rejected : ExitCodes.InvalidInput, finding, target);

    /// <summary>The target as far as it is known without a parsed connection string.</summary>
    public static TargetReport BareTarget(ConnectionStringDialect dialect, string redactedConnectionString) => new()
    {
        Dialect = dialect.ToReportName(),
        ConnectionString = redactedConnectionString,
    };

    private static CheckReport Build(string verdict, int exitCode, Finding finding, TargetReport target) => new()
    {
        Verdict = verdict,
        ExitCode = exitCode,
        Target = target,
        Findings = [FindingReports.From(finding)],
    };
}

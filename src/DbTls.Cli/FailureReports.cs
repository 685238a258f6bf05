using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Reports;

namespace DbTls.Cli;

/// <summary>Reports for checks that ended before the check itself could report: bad input, unexpected errors.</summary>
internal static class FailureReports
{
    public static CheckReport Create(Finding finding, TargetReport target)
    {
        var exitCode = finding.Code == FindingCodes.InternalError ? ExitCodes.Rejected : FindingCatalog.ExitCodeFor(finding.Code);
        return new CheckReport
        {
            // A certificate or server failure that escaped the check is still a rejection; input,
            // network and internal errors mean the check could not be made.
            Verdict = exitCode == ExitCodes.Rejected && finding.Code != FindingCodes.InternalError ? Verdicts.Rejected : Verdicts.Failed,
            ExitCode = exitCode,
            Target = target,
            Findings = [FindingReports.From(finding)],
        };
    }

    public static TargetReport TargetFrom(PostgresConnectionSpec spec) => new()
    {
        Dialect = "libpq",
        ConnectionString = spec.RedactedConnectionString,
        Host = spec.Host ?? spec.HostAddress ?? "",
        HostAddress = spec.HostAddress,
        Port = spec.Port,
        User = spec.User,
        Database = spec.Database,
        Sources = [.. spec.Sources],
    };
}

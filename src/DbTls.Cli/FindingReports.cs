using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Cli;

/// <summary>Findings as the report carries them: severity as a lower-case word.</summary>
internal static class FindingReports
{
    public static FindingReport From(Finding finding) => FindingReport.From(finding);

    public static string ToName(Severity severity) => FindingReport.SeverityName(severity);
}

using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Cli;

/// <summary>Findings as the report carries them: severity as a lower-case word.</summary>
internal static class FindingReports
{
    public static FindingReport From(Finding finding) => new()
    {
        Code = finding.Code,
        Severity = ToName(finding.Severity),
        Message = finding.Message,
        Remedy = finding.Remedy,
    };

    public static string ToName(Severity severity) => severity switch
    {
        Severity.Info => "info",
        Severity.Warning => "warning",
        Severity.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, null),
    };
}

using DbTls.Reports;

namespace DbTls.Cli.Rendering;

/// <summary>The report as JSON (docs/json-report.md), through the library's source-generated serializer.</summary>
internal static class JsonReportRenderer
{
    public static string Render(CheckReport report) => ReportJson.Serialize(report) + "\n";
}

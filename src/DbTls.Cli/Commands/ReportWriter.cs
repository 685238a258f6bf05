using DbTls.Cli.Rendering;
using DbTls.Reports;

namespace DbTls.Cli.Commands;

/// <summary>
/// Renders a report in the chosen format and writes it to standard output. Nothing is masked here: the
/// report never holds a secret, because each dialect redacts its string by parsing it and messages are
/// not built from secret-bearing text.
/// </summary>
internal static class ReportWriter
{
    public static async Task WriteAsync(CheckReport report, OutputFormat format, CliHost host)
    {
        var text = format == OutputFormat.Json
            ? JsonReportRenderer.Render(report)
            : TextReportRenderer.Render(report, TextSettings.For(host));
        await host.Out.WriteAsync(text).ConfigureAwait(false);
        await host.Out.FlushAsync().ConfigureAwait(false);
    }
}

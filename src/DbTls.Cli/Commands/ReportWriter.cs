using DbTls.Cli.Rendering;
using DbTls.Fleet;
using DbTls.Gates;
using DbTls.Reports;

namespace DbTls.Cli.Commands;

/// <summary>
/// Renders a report in the chosen format and writes it to standard output. Nothing is masked here: the
/// report never holds a secret, because each dialect redacts its string by parsing it and messages are
/// not built from secret-bearing text.
/// </summary>
internal static class ReportWriter
{
    /// <summary>Writes the report; in JSON with a gate, the report carries the gate's outcome in its <c>gate</c> field.</summary>
    public static async Task WriteAsync(CheckReport report, OutputFormat format, CliHost host, GateEvaluation? gate = null)
    {
        var text = format == OutputFormat.Json
            ? gate is null ? JsonReportRenderer.Render(report) : FleetJson.Gated(report, gate) + "\n"
            : TextReportRenderer.Render(report, TextSettings.For(host));
        await host.Out.WriteAsync(text).ConfigureAwait(false);
        await host.Out.FlushAsync().ConfigureAwait(false);
    }
}

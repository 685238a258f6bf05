using DbTls.Cli.Rendering;
using DbTls.Cli.Security;
using DbTls.Reports;

namespace DbTls.Cli.Commands;

/// <summary>Renders a report in the chosen format and writes it, scrubbed, to standard output.</summary>
internal static class ReportWriter
{
    public static async Task WriteAsync(CheckReport report, OutputFormat format, CliHost host, SecretScrubber scrubber)
    {
        var text = format == OutputFormat.Json
            ? JsonReportRenderer.Render(report)
            : TextReportRenderer.Render(report, TextSettings.For(host));
        await host.Out.WriteAsync(scrubber.Scrub(text)).ConfigureAwait(false);
        await host.Out.FlushAsync().ConfigureAwait(false);
    }
}

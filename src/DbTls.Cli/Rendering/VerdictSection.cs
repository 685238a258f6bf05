using System.Globalization;
using DbTls.Diagnostics;
using DbTls.Reports;
using Spectre.Console;

namespace DbTls.Cli.Rendering;

/// <summary>The verdict box with the protection level, then the findings, most severe first, each with its fix.</summary>
internal static class VerdictSection
{
    public static void WriteVerdict(IAnsiConsole console, CheckReport report, TextSettings settings)
    {
        var symbols = TextSymbols.For(settings);
        var (symbol, title) = report.Verdict switch
        {
            Verdicts.Ok => (symbols.Passed, "OK"),
            Verdicts.Rejected => (symbols.Failed, "REJECTED"),
            _ => (symbols.Failed, "FAILED"),
        };
        var explanation = report.Summary;
        var style = Styles.ForVerdict(report.Verdict);
        var content = new Paragraph();
        content.Append($"{symbol} {title}", new Style(style.Foreground, decoration: Decoration.Bold));
        content.Append($"  {explanation} (exit code {report.ExitCode.ToString(CultureInfo.InvariantCulture)})");

        // The policy can hold while the connection is barely protected (sslmode=require, Encrypt=False): say how
        // protected the connection that was made really is, and how many warnings qualify it, on the first screen.
        if (report.Verdict == Verdicts.Ok || report.Protection != ProtectionLevels.None)
        {
            var warnings = report.Findings.Count(f => f.Severity == FindingReport.SeverityName(Severity.Warning));
            var counted = warnings switch { 0 => "", 1 => ", 1 warning", _ => $", {warnings.ToString(CultureInfo.InvariantCulture)} warnings" };
            content.Append($"\n  protection: {ProtectionLevels.Describe(report)}{counted}");
        }

        console.WriteLine();
        console.Write(new Panel(content)
        {
            Header = new PanelHeader(" Verdict "),
            // Spectre's own fallback for a heavy border is still box drawing; ASCII locales get ASCII.
            Border = settings.Unicode ? BoxBorder.Heavy : BoxBorder.Ascii,
            BorderStyle = style,

            // The box spans the layout width, also when the console is unbounded (off a terminal).
            Width = settings.Width,
        });
    }

    public static void WriteFindings(IAnsiConsole console, List<FindingReport> findings, TextSettings settings)
    {
        TextReportRenderer.Section(console, "Findings", settings);
        if (findings.Count == 0)
        {
            console.Write(new Padder(new Text("None.", Styles.Muted), new Padding(2, 0, 0, 0)));
            return;
        }

        // Most severe first; the order within a severity is the order the check found them in.
        var ordered = findings.Select((f, i) => (f, i)).OrderBy(x => SeverityRank(x.f.Severity)).ThenBy(x => x.i).Select(x => x.f);
        var symbols = TextSymbols.For(settings);
        var first = true;
        foreach (var finding in ordered)
        {
            if (!first)
            {
                console.WriteLine();
            }

            first = false;
            var severityStyle = Styles.ForSeverity(finding.Severity);
            var heading = new Paragraph();
            heading.Append($"  {SeveritySymbol(finding.Severity, symbols)} {finding.Severity}", severityStyle);
            heading.Append("  ");
            heading.Append(finding.Code, Styles.Heading);
            console.Write(heading);
            console.WriteLine();
            console.Write(new Padder(new Text(finding.Message), new Padding(4, 0, 0, 0)));

            var fix = new Paragraph();
            fix.Append("Fix: ", Styles.Heading);
            fix.Append(finding.Remedy);
            console.Write(new Padder(fix, new Padding(4, 0, 0, 0)));
        }
    }

    private static int SeverityRank(string severity) => severity switch
    {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    };

    private static string SeveritySymbol(string severity, TextSymbols symbols) => severity switch
    {
        "error" => symbols.Failed,
        "warning" => symbols.Warning,
        _ => symbols.Info,
    };
}

using DbTls.Explain;
using DbTls.Reports;
using Spectre.Console;

namespace DbTls.Cli.Rendering;

/// <summary><c>dbtls explain</c> for people: what the string is, the policy topic by topic, then the findings.</summary>
internal static class ExplainTextRenderer
{
    public static string Render(ExplainReport report, TextSettings settings) => SpectreConsoles.Render(settings, console =>
    {
        var heading = new Paragraph();
        heading.Append(report.Dialect, Styles.Heading);
        heading.Append("  ");
        heading.Append(report.ConnectionString);
        console.Write(heading);
        console.WriteLine();
        if (report.Policy is { } policy)
        {
            Line(console, "policy", policy.Summary);
            foreach (var statement in report.Statements)
            {
                Line(console, statement.Topic, statement.Text);
            }
        }

        console.WriteLine();
        if (report.Findings.Count == 0)
        {
            console.Write(new Paragraph("No findings.", Styles.Good));
            console.WriteLine();
        }

        foreach (var finding in report.Findings)
        {
            WriteFinding(console, finding);
        }
    });

    private static void Line(IAnsiConsole console, string topic, string text)
    {
        var line = new Paragraph();
        line.Append(topic + ": ", Styles.Label);
        line.Append(text);
        console.Write(new Padder(line, new Padding(2, 0, 0, 0)));
    }

    private static void WriteFinding(IAnsiConsole console, FindingReport finding)
    {
        var head = new Paragraph();
        head.Append(finding.Severity, Styles.ForSeverity(finding.Severity));
        head.Append("  ");
        head.Append(finding.Code, Styles.Heading);
        console.Write(head);
        console.WriteLine();
        console.Write(new Padder(new Text(finding.Message), new Padding(2, 0, 0, 0)));
        var fix = new Paragraph();
        fix.Append("Fix: ", Styles.Heading);
        fix.Append(finding.Remedy);
        console.Write(new Padder(fix, new Padding(2, 0, 0, 0)));
    }
}

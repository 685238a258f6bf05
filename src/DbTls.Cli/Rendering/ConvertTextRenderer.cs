using DbTls.Conversion;
using Spectre.Console;

namespace DbTls.Cli.Rendering;

/// <summary><c>dbtls convert</c> for people: the converted string, then what did not carry over exactly.</summary>
internal static class ConvertTextRenderer
{
    public static string Render(ConvertReport report, TextSettings settings) => SpectreConsoles.Render(settings, console =>
    {
        if (report.Output is null)
        {
            foreach (var finding in report.Findings)
            {
                console.Write(new Paragraph($"{finding.Severity}  {finding.Code}: {finding.Message}", Styles.ForSeverity(finding.Severity)));
                console.WriteLine();
            }

            // convert --strict withheld a lossy string: the notes still say what could not carry over.
            Section(console, "Notes", report.Notes);
            Section(console, "Measured differences", report.Differences);
            return;
        }

        // The output itself goes out without markup or wrapping, so it can be copied as it is.
        console.Profile.Out.Writer.Write(report.Output.EndsWith('\n') ? report.Output : report.Output + "\n");
        if (report.Target is { } target)
        {
            console.Profile.Out.Writer.Write($"# connect with: {target}\n");
        }

        Section(console, "Notes", report.Notes);
        Section(console, "Measured differences", report.Differences);
        console.WriteLine();
        console.Write(report.Weaker
            ? new Paragraph($"The {report.To} string protects LESS than the original (see the weaker entries).", Styles.Bad)
            : new Paragraph($"The {report.To} string gives at least the original's protection.", Styles.Good));
        console.WriteLine();
    });

    private static void Section(IAnsiConsole console, string title, List<ConvertNoteReport> notes)
    {
        if (notes.Count == 0)
        {
            return;
        }

        console.WriteLine();
        console.Write(new Paragraph(title, Styles.Heading));
        console.WriteLine();
        foreach (var note in notes)
        {
            var line = new Paragraph();
            line.Append(note.Effect, note.Effect == "weaker" ? Styles.Bad : note.Effect == "stronger" ? Styles.Good : Styles.Label);
            line.Append($"  {note.Setting}: {note.Message}");
            console.Write(new Padder(line, new Padding(2, 0, 0, 0)));
        }
    }
}

using System.Text.Json.Serialization;
using DbTls.Diagnostics;
using Spectre.Console;

namespace DbTls.Cli.Rendering;

/// <summary>One catalogue entry as <c>dbtls codes --format json</c> prints it.</summary>
/// <param name="ExitCode">The exit code a check ending with this finding has; null for warnings and notes, which do not end a check.</param>
internal sealed record CodeInfo(string Code, string Severity, int? ExitCode, string Summary, string Remedy);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(List<CodeInfo>))]
internal sealed partial class CodesJsonContext : JsonSerializerContext
{
}

/// <summary>The finding catalogue for <c>dbtls codes</c>.</summary>
internal static class CodesRenderer
{
    /// <summary>Every code, or only <paramref name="code"/> (compared ignoring case) when given.</summary>
    public static List<CodeInfo> Entries(string? code = null) =>
    [
        .. FindingCatalog.All.Where(e => code is null || string.Equals(e.Code, code, StringComparison.OrdinalIgnoreCase)).Select(e => new CodeInfo(
            e.Code,
            DbTls.Reports.FindingReport.SeverityName(e.Severity),
            e.Severity == Severity.Error ? FindingCatalog.ExitCodeFor(e.Code) : null,
            e.Summary,
            e.Remedy)),
    ];

    public static string RenderJson(List<CodeInfo> entries) => System.Text.Json.JsonSerializer.Serialize(entries, CodesJsonContext.Default.ListCodeInfo) + "\n";

    public static string RenderText(List<CodeInfo> entries, TextSettings settings) => SpectreConsoles.Render(settings, console =>
    {
        var first = true;
        foreach (var entry in entries)
        {
            if (!first)
            {
                console.WriteLine();
            }

            first = false;
            var heading = new Paragraph();
            heading.Append(entry.Code, Styles.Heading);
            heading.Append("  ");
            heading.Append(entry.Severity, Styles.ForSeverity(entry.Severity));
            if (entry.ExitCode is { } exit)
            {
                heading.Append($"  exit {exit}", Styles.Muted);
            }

            console.Write(heading);
            console.WriteLine();
            console.Write(new Padder(new Text(entry.Summary), new Padding(2, 0, 0, 0)));
            var fix = new Paragraph();
            fix.Append("Fix: ", Styles.Heading);
            fix.Append(entry.Remedy);
            console.Write(new Padder(fix, new Padding(2, 0, 0, 0)));
        }
    });
}

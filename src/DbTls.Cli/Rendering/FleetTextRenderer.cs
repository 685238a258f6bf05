using System.Globalization;
using System.Text;
using DbTls.Fleet;

namespace DbTls.Cli.Rendering;

/// <summary>
/// The summary a person reads after a fleet: one row per target (verdict, protection, TLS version, leaf expiry, exit,
/// findings), the counts, and for every target that failed its gate the requirement and the reason.
/// </summary>
internal static class FleetTextRenderer
{
    private static readonly string[] Headers = ["TARGET", "GROUP", "VERDICT", "PROTECTION", "TLS", "EXPIRES", "EXIT", "FINDINGS"];

    public static string Render(IReadOnlyList<FleetResult> results, int skipped)
    {
        var rows = results.Select(Row).ToList();
        var widths = Headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        AppendRow(text, Headers, widths);
        foreach (var row in rows)
        {
            AppendRow(text, row, widths);
        }

        text.AppendLine();
        var passed = results.Count(r => r.Passed);
        text.Append(CultureInfo.InvariantCulture, $"{results.Count} targets: {passed} passed, {results.Count - passed} failed");
        foreach (var verdict in results.GroupBy(r => r.Report.Verdict).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"; {verdict.Key} {verdict.Count()}");
        }

        if (skipped > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"; {skipped} skipped (already in the --resume file)");
        }

        text.AppendLine();
        foreach (var result in results.Where(r => !r.Gate.Passed))
        {
            foreach (var failure in result.Gate.Failures)
            {
                foreach (var reason in failure.Reasons)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  {result.Target.Name}: requirement {failure.Requirement} not met: {reason}");
                }
            }
        }

        return text.ToString();
    }

    private static string[] Row(FleetResult result)
    {
        var report = result.Report;
        var leaf = report.Tls?.Certificates.FirstOrDefault();
        var findings = string.Join(' ', report.Findings.Where(f => f.Severity != "info").Select(f => f.Code).Distinct(StringComparer.Ordinal));
        return
        [
            result.Target.Name,
            result.Target.Group ?? "",
            report.Verdict,
            report.Protection,
            report.Tls?.Protocol ?? "-",
            leaf is null ? "-" : leaf.NotAfter.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            result.ExitCode.ToString(CultureInfo.InvariantCulture),
            findings.Length == 0 ? "-" : findings,
        ];
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            text.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        text.AppendLine();
    }
}

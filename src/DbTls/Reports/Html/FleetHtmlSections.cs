using System.Globalization;
using System.Text;
using DbTls.Fleet;
using DbTls.Gates;
using static DbTls.Reports.Html.FleetHtmlReport;

namespace DbTls.Reports.Html;

/// <summary>The sections of <see cref="FleetHtmlReport"/>; each count cell carries <c>data-count</c> so tools (and tests) can read it.</summary>
internal static class FleetHtmlSections
{
    private const int TimelineWidth = 900;
    private const int RowHeight = 16;
    private const int LabelWidth = 260;

    public static void Summary(StringBuilder html, IReadOnlyList<FleetRecord> records)
    {
        html.Append("<h2>Summary</h2><div class=\"cards\">\n");
        CountTable(html, "Verdict", "verdict", records.Select(r => r.Report.Verdict));
        CountTable(html, "Protection", "protection", records.Select(r => r.Report.Protection));
        html.Append("</div>\n<h3>Findings by code</h3><table><thead><tr><th>Code</th><th>Severity</th><th>Targets</th></tr></thead><tbody>\n");
        var byCode = records
            .SelectMany(r => r.Report.Findings.DistinctBy(f => f.Code).Select(f => (f.Code, f.Severity)))
            .GroupBy(f => f)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Code, StringComparer.Ordinal);
        foreach (var code in byCode)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(code.Key.Code)}</td><td class=\"{E(code.Key.Severity)}\">{E(code.Key.Severity)}</td><td class=\"num\" data-count=\"finding:{E(code.Key.Code)}\">{code.Count()}</td></tr>\n");
        }

        html.Append("</tbody></table>\n");
    }

    private static void CountTable(StringBuilder html, string title, string key, IEnumerable<string> values)
    {
        html.Append(CultureInfo.InvariantCulture, $"<table><thead><tr><th>{title}</th><th>Targets</th></tr></thead><tbody>\n");
        foreach (var group in values.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"{E(group.Key)}\">{E(group.Key)}</td><td class=\"num\" data-count=\"{key}:{E(group.Key)}\">{group.Count()}</td></tr>\n");
        }

        html.Append("</tbody></table>\n");
    }

    /// <summary>Each target's leaf certificate expiry on one time axis, with today marked; expired red, within 30 days amber.</summary>
    public static void Timeline(StringBuilder html, IReadOnlyList<FleetRecord> records, DateTimeOffset now)
    {
        var leaves = records
            .Select(r => (r.Name, Leaf: r.Report.Tls?.Certificates.FirstOrDefault()))
            .Where(l => l.Leaf is not null)
            .Select(l => (l.Name, l.Leaf!.NotAfter, l.Leaf.Subject))
            .OrderBy(l => l.NotAfter).ThenBy(l => l.Name, StringComparer.Ordinal)
            .ToList();
        html.Append("<h2>Certificate expiry</h2>\n");
        if (leaves.Count == 0)
        {
            html.Append("<p>No target presented a certificate.</p>\n");
            return;
        }

        var start = Min(leaves[0].NotAfter, now.AddDays(-30));
        var end = Max(leaves[^1].NotAfter, now.AddDays(30));
        var span = Math.Max((end - start).TotalSeconds, 1);
        double X(DateTimeOffset t) => LabelWidth + ((t - start).TotalSeconds / span * (TimelineWidth - LabelWidth - 20));
        var height = (leaves.Count * RowHeight) + 40;
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"timeline\"><svg id=\"expiry-timeline\" width=\"{TimelineWidth}\" height=\"{height}\" role=\"img\" aria-label=\"certificate expiry timeline\">\n");
        var nowX = X(now);
        html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{nowX:0.#}\" y1=\"14\" x2=\"{nowX:0.#}\" y2=\"{height - 6}\" stroke=\"#333\" stroke-dasharray=\"4 3\"/><text x=\"{nowX + 3:0.#}\" y=\"11\">today {Day(now)}</text>\n");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth}\" y=\"{height - 2}\">{Day(start)}</text><text x=\"{TimelineWidth - 80}\" y=\"{height - 2}\">{Day(end)}</text>\n");
        for (var i = 0; i < leaves.Count; i++)
        {
            var (name, notAfter, subject) = leaves[i];
            var y = 24 + (i * RowHeight);
            var colour = notAfter <= now ? "#b00020" : notAfter <= now.AddDays(30) ? "#d08000" : "#17692a";
            var label = name.Length > 40 ? string.Concat(name.AsSpan(0, 39), "…") : name;
            html.Append(CultureInfo.InvariantCulture, $"<g class=\"expiry\" data-target=\"{E(name)}\" data-not-after=\"{Day(notAfter)}\"><title>{E(name)}: {E(subject)} expires {Day(notAfter)}</title>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 4}\">{E(label)}</text>")
                .Append(CultureInfo.InvariantCulture, $"<line x1=\"{LabelWidth}\" y1=\"{y}\" x2=\"{X(notAfter):0.#}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"3\" opacity=\"0.35\"/>")
                .Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(notAfter):0.#}\" cy=\"{y}\" r=\"5\" fill=\"{colour}\"/></g>\n");
        }

        html.Append("</svg></div>\n");
    }

    public static void TlsByGroup(StringBuilder html, IReadOnlyList<FleetRecord> records)
    {
        var versions = records.Select(r => r.Report.Tls?.Protocol ?? "none").Distinct().Order(StringComparer.Ordinal).ToList();
        html.Append("<h2>TLS version and protection by group</h2><table><thead><tr><th>Group</th>");
        foreach (var version in versions)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{E(version)}</th>");
        }

        var gated = records.Any(r => r.Gate is not null);
        html.Append(gated ? "<th>verified</th><th>gate passed</th><th>targets</th></tr></thead><tbody>\n" : "<th>verified</th><th>targets</th></tr></thead><tbody>\n");
        foreach (var group in records.GroupBy(r => r.Group ?? "(none)").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(group.Key)}</td>");
            foreach (var version in versions)
            {
                var count = group.Count(r => (r.Report.Tls?.Protocol ?? "none") == version);
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\" data-count=\"tls:{E(group.Key)}:{E(version)}\">{count}</td>");
            }

            var verified = group.Count(r => r.Report.Protection == ProtectionLevels.Verified);
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{verified}</td>");
            if (gated)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\" data-count=\"gate:{E(group.Key)}\">{group.Count(r => r.Gate?.Passed == true)}</td>");
            }

            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{group.Count()}</td></tr>\n");
        }

        html.Append("</tbody></table>\n");
    }

    /// <summary>The sortable table: one row per target, its findings with remedies, and the whole single-target report.</summary>
    public static void Targets(StringBuilder html, IReadOnlyList<FleetRecord> records)
    {
        html.Append("<h2>Targets</h2><table id=\"targets\" class=\"sortable\"><thead><tr>")
            .Append("<th class=\"sort\">Target</th><th class=\"sort\">Group</th><th class=\"sort\">Verdict</th><th class=\"sort\">Protection</th>")
            .Append("<th class=\"sort\">TLS</th><th class=\"sort\">Leaf expires</th><th class=\"sort\">Exit</th><th>Findings</th></tr></thead><tbody>\n");
        foreach (var record in records.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            var report = record.Report;
            var leaf = report.Tls?.Certificates.FirstOrDefault();
            html.Append(CultureInfo.InvariantCulture, $"<tr data-target=\"{E(record.Name)}\"><td>{E(record.Name)}</td><td>{E(record.Group)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"{E(report.Verdict)}\">{E(report.Verdict)}</td><td>{E(report.Protection)}</td><td>{E(report.Tls?.Protocol ?? "-")}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td data-sort=\"{(leaf is null ? "9999" : Day(leaf.NotAfter))}\">{(leaf is null ? "-" : Day(leaf.NotAfter))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{record.Gate?.ExitCode ?? report.ExitCode}</td><td><ul class=\"findings\">");
            foreach (var finding in report.Findings)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><span class=\"{E(finding.Severity)}\">{E(finding.Severity)}</span> <b>{E(finding.Code)}</b>: {E(finding.Message)}");
                if (finding.Remedy.Length > 0)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<br><i>Fix:</i> {E(finding.Remedy)}");
                }

                html.Append("</li>");
            }

            foreach (var failure in record.Gate?.Failures ?? [])
            {
                foreach (var reason in failure.Reasons)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<li class=\"gate\"><span class=\"error\">gate</span> <b>{E(failure.Requirement)}</b> not met: {E(reason)}</li>");
                }
            }

            html.Append(CultureInfo.InvariantCulture, $"</ul><details><summary>full report</summary><pre>{E(ReportJson.Serialize(report))}</pre></details></td></tr>\n");
        }

        html.Append("</tbody></table>\n");
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>The profiles every report is measured against, gate or not: each cell counts the group's targets that meet it.</summary>
    private static readonly string[] Profiles = ["verified", "verify-full-everywhere", "min-tls:1.2", "no-expiry-within:30d"];

    /// <summary>
    /// Profile compliance by group: for each built-in profile (the same rules as <c>--require</c>, evaluated on each line's
    /// report at the time the report is made), how many of the group's targets meet it, out of how many.
    /// </summary>
    public static void ProfilesByGroup(StringBuilder html, IReadOnlyList<FleetRecord> records, DateTimeOffset now)
    {
        var gates = Profiles.Select(p => GateProfiles.TryParse(p, out var rules, out _) ? new Gate(rules) : Gate.None).ToArray();
        html.Append("<h2>Profile compliance by group</h2><table><thead><tr><th>Group</th>");
        foreach (var profile in Profiles)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{E(profile)}</th>");
        }

        html.Append("<th>targets</th></tr></thead><tbody>\n");
        foreach (var group in records.GroupBy(r => r.Group ?? "(none)").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(group.Key)}</td>");
            for (var i = 0; i < Profiles.Length; i++)
            {
                var met = group.Count(r => gates[i].Evaluate(r.Report, now).Passed);
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\" data-count=\"profile:{E(group.Key)}:{E(Profiles[i])}\">{met}</td>");
            }

            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{group.Count()}</td></tr>\n");
        }

        html.Append("</tbody></table>\n");
    }
}

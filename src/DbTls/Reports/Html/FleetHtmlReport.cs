using System.Globalization;
using System.Net;
using System.Text;
using DbTls.Fleet;

namespace DbTls.Reports.Html;

/// <summary>
/// <c>dbtls report RESULTS.ndjson --html OUT.html</c>: one self-contained page (inline CSS and script, nothing fetched
/// at view time) over a fleet's results. Every value from a report passes through <see cref="E"/>: certificate subjects
/// and finding messages come from servers, and a hostile one must show as text, never become markup.
/// </summary>
public static class FleetHtmlReport
{
    public static string Render(IReadOnlyList<FleetRecord> records, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(records);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">")
            .Append("<title>dbtls fleet report</title><style>").Append(Css).Append("</style></head><body>\n")
            .Append(CultureInfo.InvariantCulture, $"<h1>dbtls fleet report</h1><p class=\"meta\">{records.Count} targets, generated {E(Time(now))}</p>\n");
        FleetHtmlSections.Summary(html, records);
        FleetHtmlSections.Timeline(html, records, now);
        FleetHtmlSections.TlsByGroup(html, records);
        FleetHtmlSections.ProfilesByGroup(html, records, now);
        FleetHtmlSections.Targets(html, records);
        html.Append("<script>").Append(Script).Append("</script>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>HTML-escapes text for element content and quoted attribute values (&lt; &gt; &amp; " ').</summary>
    internal static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    internal static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    internal static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private const string Css = """
        body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}h1{margin:0}h2{margin-top:1.6em;border-bottom:1px solid #ccc}
        .meta{color:#666}table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
        th{background:#f3f3f3}th.sort{cursor:pointer}th.sort:after{content:" \2195";color:#999}.num{text-align:right}
        .ok{color:#17692a}.rejected,.error{color:#b00020}.failed,.warning{color:#a15c00}.cards{display:flex;gap:1em;flex-wrap:wrap}
        .cards table{min-width:14em}pre{white-space:pre-wrap;word-break:break-all;max-width:70em;background:#f8f8f8;padding:.5em}
        .timeline{max-height:420px;overflow:auto;border:1px solid #ddd}svg text{font:11px system-ui,sans-serif}
        details summary{cursor:pointer;color:#0645ad}ul.findings{margin:0;padding-left:1.2em}
        """;

    // Sorts the targets table by the clicked column: numbers and dates by their data-sort key, text otherwise.
    private const string Script = """
        document.querySelectorAll('table.sortable th.sort').forEach(function(th,i){th.addEventListener('click',function(){
        var tbody=th.closest('table').tBodies[0],rows=Array.from(tbody.rows),asc=th.dataset.dir!=='asc';th.dataset.dir=asc?'asc':'desc';
        rows.sort(function(a,b){var x=a.cells[i].dataset.sort||a.cells[i].textContent,y=b.cells[i].dataset.sort||b.cells[i].textContent;
        return (x<y?-1:x>y?1:0)*(asc?1:-1);});rows.forEach(function(r){tbody.appendChild(r);});});});
        """;
}

using System.Text;
using DbTls.Fleet;

namespace DbTls.Cli.Rendering;

/// <summary><c>--format json</c> for a fleet: a JSON array of the NDJSON objects, in inventory order.</summary>
internal static class FleetJsonArray
{
    public static string Render(IReadOnlyList<FleetResult> results, bool withGate) =>
        Render(results.Select(r => FleetJson.Line(r.Target.Name, r.Target.Group, r.Report, withGate ? r.Gate : null)));

    /// <summary>The scans of <c>dbtls scan --targets</c>.</summary>
    public static string Render(IReadOnlyList<FleetScanResult> results) =>
        Render(results.Select(r => FleetJson.ScanLine(r.Target.Name, r.Target.Group, r.Report)));

    private static string Render(IEnumerable<string> lines)
    {
        var text = new StringBuilder("[");
        var first = true;
        foreach (var line in lines)
        {
            text.Append(first ? "\n" : ",\n").Append(line);
            first = false;
        }

        return text.Append("\n]\n").ToString();
    }
}

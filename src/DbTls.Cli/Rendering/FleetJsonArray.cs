using System.Text;
using DbTls.Fleet;

namespace DbTls.Cli.Rendering;

/// <summary><c>--format json</c> for a fleet: a JSON array of the NDJSON objects, in inventory order.</summary>
internal static class FleetJsonArray
{
    public static string Render(IReadOnlyList<FleetResult> results, bool withGate)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < results.Count; i++)
        {
            text.Append(i == 0 ? "\n" : ",\n").Append(FleetJson.Line(results[i].Target.Name, results[i].Target.Group, results[i].Report, withGate ? results[i].Gate : null));
        }

        return text.Append("\n]\n").ToString();
    }
}

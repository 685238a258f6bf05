using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DbTls.Diagnostics;
using DbTls.Fleet;

namespace DbTls.Cli.Rendering;

/// <summary>
/// SARIF 2.1.0 for CI systems that show findings natively: one rule per finding code (from the catalogue), one result per
/// warning or error finding and per unmet requirement of the gate. A target from an inventory points at its inventory
/// line, so code scanning shows the finding on the line that names the database.
/// </summary>
internal static class SarifRenderer
{
    public const string GateRuleId = "dbtls.gate";

    private const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public static string Render(IReadOnlyList<FleetResult> results, string version, string? inventoryPath = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", SchemaUri);
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();
            WriteTool(json, version, results);
            json.WriteStartArray("results");
            foreach (var result in results)
            {
                foreach (var finding in result.Report.Findings.Where(f => f.Severity != "info"))
                {
                    WriteResult(json, result, finding.Code, finding.Severity, $"{result.Target.Name}: {finding.Message}", inventoryPath);
                }

                foreach (var failure in result.Gate.Failures)
                {
                    var reasons = string.Join("; ", failure.Reasons);
                    WriteResult(json, result, GateRuleId, "error", $"{result.Target.Name}: requirement {failure.Requirement} not met: {reasons}", inventoryPath);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }

    private static void WriteTool(Utf8JsonWriter json, string version, IReadOnlyList<FleetResult> results)
    {
        var codes = results.SelectMany(r => r.Report.Findings).Where(f => f.Severity != "info").Select(f => f.Code)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "dbtls");
        json.WriteString("semanticVersion", version.Split('+')[0]);
        json.WriteString("informationUri", "https://github.com/dbtls/dbtls");
        json.WriteStartArray("rules");
        foreach (var code in codes)
        {
            var known = FindingCatalog.All.FirstOrDefault(e => e.Code == code);
            WriteRule(json, code, known?.Summary ?? code, known?.Remedy);
        }

        if (results.Any(r => !r.Gate.Passed))
        {
            WriteRule(json, GateRuleId, "The connection does not meet a requirement set with --require or --fail-on.", "Fix the finding the reason names, or change the requirement.");
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter json, string id, string summary, string? remedy)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteStartObject("shortDescription");
        json.WriteString("text", summary);
        json.WriteEndObject();
        if (remedy is not null)
        {
            json.WriteStartObject("help");
            json.WriteString("text", remedy);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, FleetResult result, string ruleId, string severity, string message, string? inventoryPath)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", ruleId);
        json.WriteString("level", severity == "error" ? "error" : "warning");
        json.WriteStartObject("message");
        json.WriteString("text", message);
        json.WriteEndObject();
        json.WriteStartArray("locations");
        json.WriteStartObject();
        if (inventoryPath is not null)
        {
            json.WriteStartObject("physicalLocation");
            json.WriteStartObject("artifactLocation");
            json.WriteString("uri", inventoryPath.Replace('\\', '/'));
            json.WriteEndObject();
            json.WriteStartObject("region");
            json.WriteNumber("startLine", Math.Max(result.Target.Line, 1));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteStartArray("logicalLocations");
        json.WriteStartObject();
        json.WriteString("name", result.Target.Name);
        json.WriteString("kind", "resource");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("properties");
        json.WriteString("target", result.Target.Name);
        if (result.Target.Group is { } group)
        {
            json.WriteString("group", group);
        }

        json.WriteString("verdict", result.Report.Verdict);
        json.WriteString("protection", result.Report.Protection);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

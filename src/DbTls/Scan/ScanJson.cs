using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DbTls.Scan;

/// <summary>Source-generated JSON for the scan report (docs/scan-report.md): no reflection, trimming- and AOT-clean.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(ScanReport))]
internal sealed partial class ScanJsonContext : JsonSerializerContext
{
}

public static class ScanJson
{
    // Relaxed escaping as in ReportJson: a document for people and programs, never embedded in HTML.
    private static readonly ScanJsonContext Readable = new(new JsonSerializerOptions(ScanJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static string Serialize(ScanReport report) => JsonSerializer.Serialize(report, Readable.ScanReport);

    public static ScanReport? Deserialize(string json) => JsonSerializer.Deserialize(json, ScanJsonContext.Default.ScanReport);
}

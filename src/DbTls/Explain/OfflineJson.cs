using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using DbTls.Conversion;

namespace DbTls.Explain;

/// <summary>Source-generated JSON for the offline commands' reports (<c>explain</c>, <c>convert</c>): no reflection, so it trims and compiles ahead of time.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(ExplainReport))]
[JsonSerializable(typeof(ConvertReport))]
internal sealed partial class OfflineJsonContext : JsonSerializerContext
{
}

public static class OfflineJson
{
    // Readable text as in the check report (ReportJson): quotes, backslashes and control characters are still escaped.
    private static readonly OfflineJsonContext Readable = new(new JsonSerializerOptions(OfflineJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static string Serialize(ExplainReport report) => JsonSerializer.Serialize(report, Readable.ExplainReport);

    public static string Serialize(ConvertReport report) => JsonSerializer.Serialize(report, Readable.ConvertReport);

    public static ExplainReport? DeserializeExplain(string json) => JsonSerializer.Deserialize(json, OfflineJsonContext.Default.ExplainReport);

    public static ConvertReport? DeserializeConvert(string json) => JsonSerializer.Deserialize(json, OfflineJsonContext.Default.ConvertReport);
}

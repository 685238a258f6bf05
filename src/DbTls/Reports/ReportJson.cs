using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DbTls.Reports;

/// <summary>Source-generated JSON for the report: no reflection, so it trims and compiles ahead of time.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(CheckReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext
{
}

public static class ReportJson
{
    /// <summary>
    /// The generated context with the relaxed encoder: ' &amp; &lt; &gt; and non-ASCII text stay readable (no \u0027),
    /// which is safe because the report is a document for people and programs, never embedded in HTML or script.
    /// Quotes, backslashes and control characters are still escaped, so the JSON stays valid.
    /// </summary>
    private static readonly ReportJsonContext Readable = new(new JsonSerializerOptions(ReportJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static string Serialize(CheckReport report) => JsonSerializer.Serialize(report, Readable.CheckReport);

    public static CheckReport? Deserialize(string json) => JsonSerializer.Deserialize(json, ReportJsonContext.Default.CheckReport);
}

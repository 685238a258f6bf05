using System.Text.Json;
using System.Text.Json.Serialization;

namespace DbTls.Reports;

/// <summary>Source-generated JSON for the report: no reflection, so it trims and compiles ahead of time.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(CheckReport))]
public sealed partial class ReportJsonContext : JsonSerializerContext
{
}

public static class ReportJson
{
    public static string Serialize(CheckReport report) => JsonSerializer.Serialize(report, ReportJsonContext.Default.CheckReport);

    public static CheckReport? Deserialize(string json) => JsonSerializer.Deserialize(json, ReportJsonContext.Default.CheckReport);
}

using System.Text.Encodings.Web;
using System.Text.Json;
using DbTls.Reports;

namespace DbTls.Fleet;

/// <summary>
/// One NDJSON line per target: <c>name</c>, <c>group</c>, then the single-target report's fields (docs/json-report.md),
/// on one line. Nothing time-of-run (durations) is in it, so the same fleet gives the same lines.
/// </summary>
public static class FleetJson
{
    private static readonly ReportJsonContext Compact = new(new JsonSerializerOptions(ReportJsonContext.Default.Options)
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The line, without its newline.</summary>
    public static string Line(string name, string? group, CheckReport report)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(report);
        using var document = JsonSerializer.SerializeToDocument(report, Compact.CheckReport);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            if (group is not null)
            {
                writer.WriteString("group", group);
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads one line back; false for a line that is not a result (truncated by a crash, or not ours).</summary>
    public static bool TryRead(string line, out FleetRecord record)
    {
        record = null!;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            var group = root.TryGetProperty("group", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString() : null;
            var report = root.Deserialize(ReportJsonContext.Default.CheckReport);
            if (report is null)
            {
                return false;
            }

            record = new FleetRecord(name.GetString()!, group, report);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Every result in an NDJSON text, in order; lines that are not results are skipped.</summary>
    public static IReadOnlyList<FleetRecord> ReadAll(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<FleetRecord>();
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (!line.IsWhiteSpace() && TryRead(line.ToString(), out var record))
            {
                records.Add(record);
            }
        }

        return records;
    }
}

/// <summary>A result as an NDJSON line holds it.</summary>
public sealed record FleetRecord(string Name, string? Group, CheckReport Report);

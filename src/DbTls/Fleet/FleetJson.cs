using System.Text.Encodings.Web;
using System.Text.Json;
using DbTls.Gates;
using DbTls.Reports;
using DbTls.Scan;

namespace DbTls.Fleet;

/// <summary>
/// One NDJSON line per target: <c>name</c>, <c>group</c>, then the single-target report's fields (docs/json-report.md),
/// on one line, and <c>gate</c> when the run had <c>--require</c> / <c>--fail-on</c>. Nothing time-of-run (durations) is in
/// it, so the same fleet gives the same lines.
/// </summary>
public static class FleetJson
{
    private static readonly ReportJsonContext Compact = new(new JsonSerializerOptions(ReportJsonContext.Default.Options)
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonWriterOptions IndentedWriterOptions = WriterOptions with { Indented = true };

    /// <summary>The line, without its newline.</summary>
    public static string Line(string name, string? group, CheckReport report, GateEvaluation? gate = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(report);
        using var document = JsonSerializer.SerializeToDocument(report, Compact.CheckReport);
        return Named(name, group, document.RootElement, gate is null ? null : writer => WriteGate(writer, gate, report.ExitCode));
    }

    /// <summary>
    /// A single check's JSON report (<c>dbtls check STRING --format json --require ...</c>): the report's fields, indented
    /// as the plain report is, then <c>gate</c> as in an NDJSON line.
    /// </summary>
    public static string Gated(CheckReport report, GateEvaluation gate)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(gate);
        using var document = JsonSerializer.SerializeToDocument(report, Compact.CheckReport);
        return Named(null, null, document.RootElement, writer => WriteGate(writer, gate, report.ExitCode), indented: true);
    }

    /// <summary>
    /// A scan's line (<c>dbtls scan --targets</c>): name, group, then the single scan report's fields (docs/scan-report.md)
    /// without <c>elapsedMs</c>, so the same fleet gives the same lines.
    /// </summary>
    public static string ScanLine(string name, string? group, ScanReport report)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(report);
        using var document = JsonDocument.Parse(ScanJson.Serialize(report));
        return Named(name, group, document.RootElement, null, "elapsedMs");
    }

    private static string Named(string? name, string? group, JsonElement report, Action<Utf8JsonWriter>? tail, string? skip = null, bool indented = false)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, indented ? IndentedWriterOptions : WriterOptions))
        {
            writer.WriteStartObject();
            if (name is not null)
            {
                writer.WriteString("name", name);
            }

            if (group is not null)
            {
                writer.WriteString("group", group);
            }

            foreach (var property in report.EnumerateObject())
            {
                if (!property.NameEquals(skip))
                {
                    property.WriteTo(writer);
                }
            }

            tail?.Invoke(writer);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The names of the results in an NDJSON text (check or scan lines), for <c>--resume</c>.</summary>
    public static IReadOnlySet<string> ReadNames(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.IsWhiteSpace())
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line.ToString());
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                {
                    names.Add(name.GetString()!);
                }
            }
            catch (JsonException)
            {
                // A line cut short by a crash: that target runs again.
            }
        }

        return names;
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

            record = new FleetRecord(name.GetString()!, group, report) { Gate = ReadGate(root) };
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void WriteGate(Utf8JsonWriter writer, GateEvaluation gate, int checkExitCode)
    {
        writer.WriteStartObject("gate");
        writer.WriteBoolean("passed", gate.Passed);
        writer.WriteNumber("exitCode", gate.ExitCode(checkExitCode));
        writer.WriteStartArray("failures");
        foreach (var failure in gate.Failures)
        {
            writer.WriteStartObject();
            writer.WriteString("requirement", failure.Requirement);
            writer.WriteStartArray("reasons");
            foreach (var reason in failure.Reasons)
            {
                writer.WriteStringValue(reason);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static FleetGateRecord? ReadGate(JsonElement root)
    {
        if (!root.TryGetProperty("gate", out var gate) || gate.ValueKind != JsonValueKind.Object
            || !gate.TryGetProperty("passed", out var passed) || passed.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
            || !gate.TryGetProperty("exitCode", out var exit) || !exit.TryGetInt32(out var exitCode))
        {
            return null;
        }

        var failures = new List<GateResult>();
        if (gate.TryGetProperty("failures", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var failure in list.EnumerateArray())
            {
                if (failure.ValueKind == JsonValueKind.Object
                    && failure.TryGetProperty("requirement", out var requirement) && requirement.ValueKind == JsonValueKind.String)
                {
                    var reasons = failure.TryGetProperty("reasons", out var r) && r.ValueKind == JsonValueKind.Array
                        ? r.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
                        : [];
                    failures.Add(GateResult.Fail(requirement.GetString()!, reasons));
                }
            }
        }

        return new FleetGateRecord(passed.GetBoolean(), exitCode, failures);
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
public sealed record FleetRecord(string Name, string? Group, CheckReport Report)
{
    /// <summary>The gate's outcome, when the run had one.</summary>
    public FleetGateRecord? Gate { get; init; }
}

/// <summary>The <c>gate</c> object of a line: passed, the exit code under the gate, and each unmet requirement with its reasons.</summary>
public sealed record FleetGateRecord(bool Passed, int ExitCode, IReadOnlyList<GateResult> Failures);

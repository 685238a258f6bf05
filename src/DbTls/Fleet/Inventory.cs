using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using DbTls.Dialects;
using DbTls.Dialects.PyMongo;
using DbTls.Scan;

namespace DbTls.Fleet;

/// <summary>
/// Reads an inventory: either one connection string per line (<c>#</c> starts a comment line, blank lines are skipped;
/// a target is named by its string), or JSON <c>{"targets": [{"name", "group", "connectionString", "dialect",
/// "timeoutSeconds", "passwordVariable", "options": {"tlsCAFile": "..."}}]}</c>. A string that holds a secret is refused: an inventory is a file people
/// share and commit, so passwords come only from environment variables.
/// </summary>
public static class Inventory
{
    public static bool TryParse(string text, DialectRegistry dialects, out IReadOnlyList<FleetTarget> targets, out string error) =>
        TryParse(text, dialects, hostPortAllowed: false, out targets, out error);

    /// <summary>
    /// As <see cref="TryParse(string, DialectRegistry, out IReadOnlyList{FleetTarget}, out string)"/>; with
    /// <paramref name="hostPortAllowed"/> (a scan's inventory) a target may also be a bare <c>host:port</c>.
    /// </summary>
    public static bool TryParse(string text, DialectRegistry dialects, bool hostPortAllowed, out IReadOnlyList<FleetTarget> targets, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(dialects);
        var parsed = text.AsSpan().TrimStart().StartsWith("{", StringComparison.Ordinal)
            ? TryParseJson(text, out targets, out error)
            : TryParseLines(text, out targets, out error);
        return parsed && TryRefuseSecrets(targets, dialects, hostPortAllowed, out error) && TryRefuseDuplicates(targets, out error);
    }

    private static bool TryParseLines(string text, out IReadOnlyList<FleetTarget> targets, out string error)
    {
        var list = new List<FleetTarget>();
        var number = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            number++;
            var line = raw.Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            var value = line.ToString();
            list.Add(new FleetTarget(value, value) { Line = number });
        }

        targets = list;
        error = "";
        return true;
    }

    private static bool TryParseJson(string text, out IReadOnlyList<FleetTarget> targets, out string error)
    {
        targets = [];
        InventoryFile? file;
        try
        {
            file = JsonSerializer.Deserialize(text, InventoryJsonContext.Default.InventoryFile);
        }
        catch (JsonException e)
        {
            error = $"the inventory is not valid JSON (line {(e.LineNumber ?? 0) + 1}).";
            return false;
        }

        var list = new List<FleetTarget>();
        var entries = file?.Targets ?? [];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (string.IsNullOrWhiteSpace(entry.ConnectionString))
            {
                error = $"inventory target {i + 1} has no connectionString.";
                return false;
            }

            if (entry.TimeoutSeconds is { } seconds && (!double.IsFinite(seconds) || seconds <= 0 || seconds > 86_400))
            {
                error = $"inventory target {i + 1} has timeoutSeconds {seconds.ToString(CultureInfo.InvariantCulture)}; it takes a number greater than 0 and at most 86400.";
                return false;
            }

            list.Add(new FleetTarget(string.IsNullOrWhiteSpace(entry.Name) ? entry.ConnectionString : entry.Name, entry.ConnectionString)
            {
                Group = entry.Group,
                Dialect = entry.Dialect,
                Timeout = entry.TimeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
                PasswordVariable = entry.PasswordVariable,
                Options = entry.Options is null ? [] : [.. entry.Options],
                Line = i + 1,
            });
        }

        targets = list;
        error = "";
        return true;
    }

    private static bool TryRefuseSecrets(IReadOnlyList<FleetTarget> targets, DialectRegistry dialects, bool hostPortAllowed, out string error)
    {
        // The dialect's own redaction finds a secret by parsing, as the report does: if it masks anything, the file holds one.
        foreach (var target in targets)
        {
            if (hostPortAllowed && ScanEndpoint.TryParseHostPort(target.ConnectionString, out _))
            {
                continue;
            }

            // An unrecognised line is not echoed either: it may be a secret in a syntax no dialect parses.
            if (ReferenceEquals(target.DialectIn(dialects), DialectRegistry.Unknown))
            {
                error = $"inventory target {target.Line} is not a connection string dbtls recognises ({DialectRegistry.Formats}).";
                return false;
            }

            if (target.Options.FirstOrDefault(o => PyMongoKeywordArguments.IsSecret(o.Key)) is { Key: { } secretKey })
            {
                error = $"inventory target {target.Line} has the option {secretKey}, which holds a secret; put it in an environment variable instead (passwordVariable).";
                return false;
            }

            if (!string.Equals(target.DialectIn(dialects).Redact(target.ConnectionString), target.ConnectionString, StringComparison.Ordinal))
            {
                error = $"inventory target {target.Line} holds a password in its connection string; put it in an environment variable instead (DBTLS_PASSWORD, or one named by the target's passwordVariable).";
                return false;
            }
        }

        error = "";
        return true;
    }

    private static bool TryRefuseDuplicates(IReadOnlyList<FleetTarget> targets, out string error)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            if (!seen.Add(target.Name))
            {
                error = $"inventory target {target.Line} repeats the name '{target.Name}'; names must be unique (results and --resume know targets by name).";
                return false;
            }
        }

        error = "";
        return true;
    }
}

/// <summary>The JSON inventory's shape.</summary>
internal sealed class InventoryFile
{
    public List<InventoryEntry> Targets { get; set; } = [];
}

internal sealed class InventoryEntry
{
    public string? Name { get; set; }

    public string? Group { get; set; }

    public string ConnectionString { get; set; } = "";

    public string? Dialect { get; set; }

    public double? TimeoutSeconds { get; set; }

    public string? PasswordVariable { get; set; }

    /// <summary>PyMongo keyword arguments, as <c>--option KEY=VALUE</c> gives them, in file order.</summary>
    public Dictionary<string, string>? Options { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(InventoryFile))]
internal sealed partial class InventoryJsonContext : JsonSerializerContext
{
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace DbTls.Gates;

/// <summary>
/// A policy file: <c>{"require": ["verified", "min-tls:1.2", "no-expiry-within:30d"], "failOn": "warning"}</c>. A team keeps
/// its bar in one reviewed file instead of repeating options in every CI job.
/// </summary>
public sealed class GatePolicyFile
{
    public List<string> Require { get; set; } = [];

    public string? FailOn { get; set; }

    public static bool TryLoad(string path, out IReadOnlyList<IGateRule> rules, out string error)
    {
        rules = [];
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"the policy file {path} cannot be read.";
            return false;
        }

        return TryParse(text, path, out rules, out error);
    }

    public static bool TryParse(string json, string source, out IReadOnlyList<IGateRule> rules, out string error)
    {
        rules = [];
        GatePolicyFile? policy;
        try
        {
            policy = JsonSerializer.Deserialize(json, GatePolicyJsonContext.Default.GatePolicyFile);
        }
        catch (JsonException e)
        {
            error = $"the policy file {source} is not valid JSON (line {(e.LineNumber ?? 0) + 1}).";
            return false;
        }

        if (policy is null)
        {
            error = $"the policy file {source} is empty.";
            return false;
        }

        var list = new List<IGateRule>();
        foreach (var requirement in policy.Require)
        {
            if (!GateProfiles.TryParseProfile(requirement, out var rule))
            {
                error = $"the policy file {source} requires '{GateProfiles.Shown(requirement)}', which is not one of {GateProfiles.Names}.";
                return false;
            }

            list.Add(rule);
        }

        if (policy.FailOn is not null)
        {
            if (!GateProfiles.TryParseFailOn(policy.FailOn, out var failOn))
            {
                error = $"the policy file {source} has failOn '{GateProfiles.Shown(policy.FailOn)}'; it takes warning or error.";
                return false;
            }

            list.Add(failOn!);
        }

        rules = list;
        error = "";
        return true;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(GatePolicyFile))]
internal sealed partial class GatePolicyJsonContext : JsonSerializerContext
{
}

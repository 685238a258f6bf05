using System.Text.Json;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Dialects.NodePostgres;

/// <summary>What node-postgres made of one string: connected (and whether over TLS) or refused with its error code and message.</summary>
public sealed record NodePostgresVerdict(bool Connected, bool? Encrypted, string Detail)
{
    public override string ToString() => Connected ? $"connected (ssl={(Encrypted == true ? "on" : "off")})" : $"refused: {Detail}";
}

/// <summary>
/// Runs the real node-postgres (npm pg 8.23.1, pinned in tools/node-pg, installed by scripts/setup.sh) through
/// tools/node-pg/connect.js: one Node process for a batch of strings, with exactly the given environment variables.
/// </summary>
public static class NodePostgresOracle
{
    public static string ScriptPath => Path.Combine(RepoPaths.Root, "tools", "node-pg", "connect.js");

    public static string? Node => new[] { "/usr/bin/node", "/usr/local/bin/node" }.FirstOrDefault(File.Exists);

    /// <summary>Whether Node.js and the pinned pg package are installed.</summary>
    public static bool Available => Node is not null && Directory.Exists(Path.Combine(RepoPaths.Root, "tools", "node-pg", "node_modules", "pg"));

    public static async Task<IReadOnlyList<NodePostgresVerdict>> RunAsync(IReadOnlyList<string> connectionStrings, IReadOnlyDictionary<string, string> environment)
    {
        var result = await ProcessRunner.RunAsync(new ProcessSpec(Node!, [ScriptPath, .. connectionStrings])
        {
            Environment = new Dictionary<string, string>(environment) { ["PATH"] = "/usr/local/bin:/usr/bin:/bin" },
            Timeout = TimeSpan.FromSeconds(30 + (20 * connectionStrings.Count)),
        });
        Assert.True(result.Succeeded, $"the node-postgres probe did not run: {result}");
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(connectionStrings.Count, lines.Length);
        return [.. lines.Select(Verdict)];
    }

    private static NodePostgresVerdict Verdict(string line)
    {
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        return root.GetProperty("ok").GetBoolean()
            ? new NodePostgresVerdict(true, root.GetProperty("ssl").GetBoolean(), "")
            : new NodePostgresVerdict(false, null, $"{root.GetProperty("code").GetString()}: {root.GetProperty("message").GetString()}");
    }
}

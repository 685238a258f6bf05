using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DbTls.Reports;
using DbTls.Tests.Cli;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.EndToEnd.Native;

/// <summary>One <c>dbtls check</c> run twice: in process (the tests' runtime, with ICU) and as the published binary.</summary>
internal sealed record NativeParityResult(CliResult InProcess, ProcessResult Native, CheckReport Report)
{
    public IEnumerable<string> Codes => Report.Findings.Select(f => f.Code);
}

/// <summary>
/// Runs one command line in process (<see cref="CliRun"/>) and through the published NativeAOT binary as a child
/// process with exactly the same environment, and requires the same outcome: exit code, stderr, and the JSON
/// report field by field (verdict, findings with their messages, negotiation, TLS, certificates, server view),
/// apart from the few fields <see cref="Volatile"/> names, which differ between any two connections.
/// </summary>
internal static partial class NativeParity
{
    /// <summary>
    /// What legitimately differs between two runs against the same server: the times an OCSP responder stamps on
    /// each fresh answer (openssl ocsp signs every answer at "now"), as fields and inside the sentences quoting them.
    /// </summary>
    private static readonly HashSet<string> Volatile = new(StringComparer.Ordinal) { "$.tls.ocsp.thisUpdate", "$.tls.ocsp.nextUpdate" };

    [GeneratedRegex(@"(thisUpdate|nextUpdate) \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC")]
    private static partial Regex OcspAnswerTime();

    public static async Task<NativeParityResult> RunAsync(string[] checkArguments, IReadOnlyDictionary<string, string>? environment = null, Action? beforeInProcess = null)
    {
        string[] args = ["check", .. checkArguments, "--format", "json"];

        // The same variables for both: an empty HOME unless the case gives one, nothing inherited, so neither run
        // sees this machine's ~/.postgresql, ~/.pgpass or PG* settings.
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["HOME"] = EmptyHome.Value };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        var binary = await NativeBinary.PathAsync();
        var native = await ProcessRunner.RunAsync(new ProcessSpec(binary, args) { Environment = env, Timeout = TimeSpan.FromSeconds(90) });
        beforeInProcess?.Invoke();
        var inProcess = await CliRun.RunAsync(args, env, host => host with { OsUserName = Environment.UserName });

        Assert.False(native.TimedOut, $"the native binary timed out: {native}");
        var context = $"native: {native}\nin process: exit {inProcess.ExitCode}\n{inProcess.All}";
        Assert.True(inProcess.ExitCode == native.ExitCode, $"exit codes differ\n{context}");
        Assert.True(inProcess.Stderr == native.Stderr, $"stderr differs\n{context}");
        var differences = Differences(JsonNode.Parse(inProcess.Stdout), JsonNode.Parse(native.Stdout), "$").Where(p => !Volatile.Contains(p)).ToList();
        Assert.True(differences.Count == 0, $"the reports differ at {string.Join(", ", differences)}\n{context}");
        return new NativeParityResult(inProcess, native, ReportJson.Deserialize(native.Stdout)!);
    }

    /// <summary>The paths (array indexes written as []) where two JSON trees differ.</summary>
    private static IEnumerable<string> Differences(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var name in e.Select(p => p.Key).Union(a.Select(p => p.Key), StringComparer.Ordinal))
                {
                    foreach (var difference in Differences(e[name], a[name], $"{path}.{name}"))
                    {
                        yield return difference;
                    }
                }

                break;
            case (JsonArray e, JsonArray a) when e.Count == a.Count:
                for (var i = 0; i < e.Count; i++)
                {
                    foreach (var difference in Differences(e[i], a[i], $"{path}[]"))
                    {
                        yield return difference;
                    }
                }

                break;
            case (JsonValue e, JsonValue a) when e.TryGetValue<string>(out var left) && a.TryGetValue<string>(out var right):
                if (OcspAnswerTime().Replace(left, "$1 (time)") != OcspAnswerTime().Replace(right, "$1 (time)"))
                {
                    yield return path;
                }

                break;
            default:
                if (!JsonNode.DeepEquals(expected, actual))
                {
                    yield return path;
                }

                break;
        }
    }

    private static readonly Lazy<string> EmptyHome = new(() => Directory.CreateTempSubdirectory("dbtls-native-home-").FullName);
}

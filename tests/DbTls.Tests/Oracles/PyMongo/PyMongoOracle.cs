using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Oracles.PyMongo;

/// <summary>What PyMongo made of a URI plus keyword arguments: connected, refused the options, or failed to connect.</summary>
public sealed record PyMongoVerdict(bool Connected, bool ConfigurationRefused, string Detail)
{
    public override string ToString() => Connected ? "connected" : ConfigurationRefused ? $"refused the options: {Detail}" : $"failed: {Detail}";
}

/// <summary>Runs the real PyMongo 3.11 (Debian python3-pymongo, /usr/bin/python3) through probe.py.</summary>
public static class PyMongoOracle
{
    public const string Python = "/usr/bin/python3";

    public static string ProbePath => Path.Combine(RepoPaths.Root, "tests", "DbTls.Tests", "Oracles", "PyMongo", "probe.py");

    public static async Task<PyMongoVerdict> RunAsync(string uri, IReadOnlyList<KeyValuePair<string, string>> keywords)
    {
        var result = await ProcessRunner.RunAsync(new ProcessSpec(Python, [ProbePath, uri, .. keywords.Select(k => $"{k.Key}={k.Value}")])
        {
            Timeout = TimeSpan.FromSeconds(60),
        });
        Assert.True(result.Succeeded, $"the PyMongo probe did not run: {result}");
        var line = result.Stdout.Trim();
        return line == "OK" ? new PyMongoVerdict(true, false, "")
            : line.StartsWith("CONFIG ", StringComparison.Ordinal) ? new PyMongoVerdict(false, true, line[7..])
            : line.StartsWith("FAIL ", StringComparison.Ordinal) ? new PyMongoVerdict(false, false, line[5..])
            : throw new InvalidOperationException($"unexpected probe output: {result}");
    }
}

using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Oracles.Pgjdbc;

/// <summary>
/// What pgjdbc made of one URL: connected (whether the session is encrypted, and then pg_stat_ssl's version and cipher
/// in <see cref="Detail"/>) or refused with its SQLState and message.
/// </summary>
public sealed record PgjdbcVerdict(bool Connected, bool? Encrypted, string Detail)
{
    public override string ToString() => Connected ? $"connected (ssl={(Encrypted == true ? "on" : "off")})" : $"refused: {Detail}";
}

/// <summary>
/// Runs the real pgjdbc (Debian's libpostgresql-jdbc-java 42.5.5 on default-jre-headless) through Probe.java: one JVM
/// for a batch of URLs, with user.home set to the given directory (pgjdbc's ~/.postgresql comes from user.home, not HOME).
/// </summary>
public static class PgjdbcOracle
{
    public const string Jar = "/usr/share/java/postgresql.jar";

    public static string ProbePath => Path.Combine(RepoPaths.Root, "tests", "DbTls.Tests", "Oracles", "Pgjdbc", "Probe.java");

    /// <summary>Whether Java and the pgjdbc jar are installed (scripts/apt-packages.txt lists both).</summary>
    public static bool Available => File.Exists(Jar) && File.Exists("/usr/bin/java");

    public static async Task<IReadOnlyList<PgjdbcVerdict>> RunAsync(IReadOnlyList<string> urls, string home)
    {
        var result = await ProcessRunner.RunAsync(new ProcessSpec("/usr/bin/java", ["-cp", Jar, $"-Duser.home={home}", ProbePath, .. urls])
        {
            ExtraEnvironment = new Dictionary<string, string> { ["HOME"] = home },
            Timeout = TimeSpan.FromSeconds(30 + (15 * urls.Count)),
        });
        Assert.True(result.Succeeded, $"the pgjdbc probe did not run: {result}");
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(urls.Count, lines.Length);
        return [.. lines.Select(Verdict)];
    }

    /// <summary>PGjdbcHostnameVerifier.verifyHostName(host, pattern) of the real pgjdbc, for each pair.</summary>
    public static async Task<IReadOnlyList<bool>> VerifyHostNamesAsync(IReadOnlyList<(string Host, string Pattern)> pairs)
    {
        var result = await ProcessRunner.RunAsync(new ProcessSpec("/usr/bin/java", ["-cp", Jar, ProbePath, "--verify-host-name", .. pairs.SelectMany(p => new[] { p.Host, p.Pattern })])
        {
            Timeout = TimeSpan.FromSeconds(60),
        });
        Assert.True(result.Succeeded, $"the pgjdbc probe did not run: {result}");
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => line == "true")];
    }

    private static PgjdbcVerdict Verdict(string line) =>
        line.StartsWith("OK ", StringComparison.Ordinal) ? new PgjdbcVerdict(true, line.StartsWith("OK t", StringComparison.Ordinal), line[4..].Trim())
        : line.StartsWith("FAIL ", StringComparison.Ordinal) ? new PgjdbcVerdict(false, null, line[5..])
        : throw new InvalidOperationException($"unexpected probe output: {line}");
}

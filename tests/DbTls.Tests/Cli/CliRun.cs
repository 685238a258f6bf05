using DbTls.Cli;

namespace DbTls.Tests.Cli;

/// <summary>The outcome of one in-process run of the dbtls command line.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string All => Stdout + Stderr;
}

/// <summary>Runs the real command line in-process with captured output and an environment the test controls.</summary>
internal static class CliRun
{
    public static async Task<CliResult> RunAsync(
        string[] args,
        IReadOnlyDictionary<string, string>? environment = null,
        Func<CliHost, CliHost>? configure = null,
        CancellationToken cancellationToken = default)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        // HOME points at an empty directory so the machine's ~/.postgresql files cannot change results.
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["HOME"] = EmptyHome.Value };
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                env[key] = value;
            }
        }

        var host = new CliHost(stdout, stderr, env) { OsUserName = "tester" };
        if (configure is not null)
        {
            host = configure(host);
        }

        var exit = await DbTls.Cli.Cli.RunAsync(args, host, cancellationToken);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    private static readonly Lazy<string> EmptyHome = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), "dbtls-cli-tests-home");
        Directory.CreateDirectory(path);
        return path;
    });
}

using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Servers.Postgres;

/// <summary>How to run psql: the SQL, extra environment and limits.</summary>
public sealed record PsqlOptions
{
    /// <summary>The SQL passed with <c>-c</c> (ignored when <see cref="Script"/> is set).</summary>
    public string Sql { get; init; } = "select 1";

    /// <summary>A script fed on standard input with <c>-f -</c>, for several statements in order.</summary>
    public string? Script { get; init; }

    /// <summary>Variables for psql (PGPASSWORD, PGSSLMODE, ...) on top of the clean environment; may override PGCONNECT_TIMEOUT.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>HOME for psql; null means a fresh empty directory (so no ~/.postgresql files and no ~/.pgpass), deleted afterwards.</summary>
    public string? HomeDirectory { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Runs Debian's psql (libpq 15) as the reference client: <c>psql -X -w -tA -v ON_ERROR_STOP=1 -d
/// CONNINFO -c SQL</c> with a clean environment (PATH, LANG, HOME = a fresh temp dir,
/// PGCONNECT_TIMEOUT=10, and only the PG* variables given). Tests compare dbtls' verdict with
/// psql's on the same conninfo.
/// </summary>
public static class PsqlRunner
{
    public static Task<ProcessResult> RunAsync(string conninfo, string sql, CancellationToken cancellationToken = default) =>
        RunAsync(conninfo, new PsqlOptions { Sql = sql }, cancellationToken);

    public static async Task<ProcessResult> RunAsync(string conninfo, PsqlOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PsqlOptions();
        string? ownHome = null;
        var home = options.HomeDirectory;
        if (home is null)
        {
            ownHome = Directory.CreateTempSubdirectory("dbtls-psql-home-").FullName;
            home = ownHome;
        }

        try
        {
            var environment = new Dictionary<string, string>
            {
                ["PATH"] = "/usr/bin:/bin",
                ["HOME"] = home,
                ["LANG"] = "C.UTF-8",
                ["PGCONNECT_TIMEOUT"] = "10",
            };
            foreach (var (key, value) in options.Environment ?? new Dictionary<string, string>())
            {
                environment[key] = value;
            }

            List<string> arguments = ["-X", "-w", "-tA", "-v", "ON_ERROR_STOP=1", "-d", conninfo];
            if (options.Script is not null)
            {
                arguments.AddRange(["-f", "-"]);
            }
            else
            {
                arguments.AddRange(["-c", options.Sql]);
            }

            var spec = new ProcessSpec(PostgresBinaries.Psql, arguments)
            {
                Environment = environment,
                WorkingDirectory = home,
                StandardInput = options.Script,
                Timeout = options.Timeout,
            };
            return await ProcessRunner.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (ownHome is not null)
            {
                TryDeleteDirectory(ownHome);
            }
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

using System.Collections;
using DbTls.Dialects;
using DbTls.Dialects.Mongo;

namespace DbTls.Cli;

/// <summary>
/// Everything the command line reads from and writes to the outside world, so that it can run
/// in-process (tests) exactly as it runs as a process.
/// </summary>
/// <param name="Out">Standard output: the report and nothing else.</param>
/// <param name="Error">Standard error: usage errors and, with <c>--verbose</c>, diagnostics.</param>
/// <param name="Environment">Environment variables (DBTLS_PASSWORD, NO_COLOR, PG*, HOME ...).</param>
public sealed record CliHost(TextWriter Out, TextWriter Error, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Whether standard output is an interactive terminal; colour is only ever used when it is.</summary>
    public bool OutputIsTerminal { get; init; }

    /// <summary>Whether standard error is an interactive terminal; the phase of a running check is shown only then.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>Columns of the terminal; null renders at 80 columns.</summary>
    public int? Width { get; init; }

    /// <summary>The operating-system user name, libpq's default user; null uses the process's.</summary>
    public string? OsUserName { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How long past <c>--timeout</c> the CLI waits before it abandons a check that overran its own limit.</summary>
    public TimeSpan TimeoutGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The resolver for mongodb+srv:// lookups, given the <c>--dns-server</c> endpoint (null: the system's
    /// DNS server). Tests replace it; a null resolver makes the check say that SRV lookups are unavailable.
    /// </summary>
    internal Func<System.Net.IPEndPoint?, IMongoDnsResolver?> MongoDns { get; init; } = server => new DnsClientMongoResolver(server);

    /// <summary>The dialects <c>dbtls check</c> detects and runs; tests replace one to reach failure paths.</summary>
    internal DialectRegistry Dialects { get; init; } = DialectRegistry.Default;

    /// <summary>The host for the current process: the real console and environment.</summary>
    public static CliHost FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                variables[key] = value;
            }
        }

        var terminal = !Console.IsOutputRedirected;
        int? width = null;
        if (terminal)
        {
            try
            {
                width = Console.WindowWidth > 0 ? Console.WindowWidth : null;
            }
            catch (IOException)
            {
                width = null;
            }
        }

        return new CliHost(Console.Out, Console.Error, variables)
        {
            OutputIsTerminal = terminal,
            ErrorIsTerminal = !Console.IsErrorRedirected,
            Width = width,
            OsUserName = System.Environment.UserName,
        };
    }

    public string? GetVariable(string name) => Environment.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}

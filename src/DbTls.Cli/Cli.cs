using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using DbTls.Checks;
using DbTls.Cli.Commands;
using DbTls.Diagnostics;

namespace DbTls.Cli;

/// <summary>
/// The <c>dbtls</c> command line. <see cref="RunAsync(IReadOnlyList{string}, CliHost, CancellationToken)"/>
/// is the whole program: Program.cs only binds it to the real console, so tests run it in-process.
/// </summary>
public static class Cli
{
    /// <summary>Runs dbtls with the given arguments, writers and environment; returns the exit code.</summary>
    public static Task<int> RunAsync(
        IReadOnlyList<string> args,
        TextWriter stdout,
        TextWriter stderr,
        IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellationToken = default) =>
        RunAsync(args, new CliHost(stdout, stderr, environment), cancellationToken);

    /// <summary>Runs dbtls against a <see cref="CliHost"/> (terminal, width, clock); returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(host);

        var commands = new CliCommands(host);

        // Response files (@file) are off: a connection string must never be read as a file name.
        var parseResult = commands.Root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parseResult.Action is ParseErrorAction || (parseResult.Errors.Count > 0 && parseResult.Action is null))
        {
            return await UsageErrors.WriteAsync(parseResult, commands, host).ConfigureAwait(false);
        }

        var configuration = new InvocationConfiguration
        {
            // Help and version text never contain user input.
            Output = host.Out,
            Error = host.Error,
            EnableDefaultExceptionHandler = false,

            // Ctrl+C is the host's business (Program.cs cancels the token); in-process runs must not hook the console.
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await host.Error.WriteLineAsync("dbtls: cancelled").ConfigureAwait(false);
            return CheckCommand.Cancelled;
        }
        catch (Exception e)
        {
            // A bug outside the check itself (rendering, writing): no stack trace unless asked, never the message (it may echo a secret).
            await host.Error.WriteLineAsync($"dbtls: internal error: {e.GetType().Name}").ConfigureAwait(false);
            if (parseResult.GetValue(commands.Verbose))
            {
                await host.Error.WriteAsync(UnexpectedErrors.Where(e)).ConfigureAwait(false);
            }

            return ExitCodes.Rejected;
        }
    }

    /// <summary>The informational version of dbtls, e.g. <c>1.0.0+abc123</c>.</summary>
    public static string Version =>
        typeof(Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Cli).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Prints <see cref="Version"/> for <c>--version</c>, to the host rather than the process console.</summary>
    private sealed class VersionAction(CliHost host) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            host.Out.WriteLine(Version);
            return ExitCodes.Ok;
        }
    }

    internal static void UseHostVersion(Command command, CliHost host)
    {
        foreach (var option in command.Options)
        {
            if (option is VersionOption version)
            {
                version.Action = new VersionAction(host);
            }
        }
    }
}

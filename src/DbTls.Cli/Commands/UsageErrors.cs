using System.CommandLine;
using DbTls.Checks;
using DbTls.Cli.Rendering;
using DbTls.Diagnostics;
using DbTls.Dialects;

namespace DbTls.Cli.Commands;

/// <summary>
/// Bad command lines: the errors go to standard error and the exit code is 2 (invalid input). A
/// <c>check --format json</c> (or ndjson, sarif, junit) with a bad option still prints a JSON report (or a document of that format), so scripts never have
/// to parse free text. Arguments that were not expected are shown as their dialect redacts them: they
/// are usually the pieces of an unquoted connection string, one of which may be a password.
/// </summary>
internal static class UsageErrors
{
    public static async Task<int> WriteAsync(ParseResult parseResult, CliCommands commands, CliHost host)
    {
        var messages = Messages(parseResult, commands, host);
        foreach (var message in messages)
        {
            await host.Error.WriteLineAsync($"dbtls: {message}").ConfigureAwait(false);
        }

        var command = parseResult.CommandResult.Command;
        var help = command is RootCommand ? "dbtls --help" : $"dbtls {command.Name} --help";
        await host.Error.WriteLineAsync($"Run '{help}' for usage.").ConfigureAwait(false);

        var format = RequestedFormat(parseResult, commands);
        if (command == commands.Check && (format == OutputFormats.Json || FleetUsageError.Handles(format)))
        {
            var connectionString = ConnectionStringOf(parseResult, commands);
            var dialect = connectionString.Length > 0 ? host.Dialects.Detect(connectionString) : DialectRegistry.Unknown;
            var finding = FindingCatalog.Create(FindingCodes.ConfigInvalid, "Invalid command line: " + string.Join(" ", messages), $"Run '{help}' for usage.");
            var refused = ConnectionCheck.Refused(dialect, connectionString, finding);
            if (format == OutputFormats.Json)
            {
                await ReportWriter.WriteAsync(refused, OutputFormat.Json, host).ConfigureAwait(false);
            }
            else
            {
                await FleetUsageError.WriteAsync(refused, connectionString.Length > 0 ? Shown(connectionString, host) : "(command line)", format, host).ConfigureAwait(false);
            }
        }

        return ExitCodes.InvalidInput;
    }

    private static List<string> Messages(ParseResult parseResult, CliCommands commands, CliHost host)
    {
        // Options the parser did not know are shown as typed; anything else is shown redacted by its own dialect.
        var stray = parseResult.UnmatchedTokens.Where(t => !t.StartsWith('-')).ToList();
        var messages = parseResult.Errors
            .Select(e => e.Message)
            .Where(m => !stray.Any(t => m.Contains($"'{t}'", StringComparison.Ordinal)))
            .ToList();
        messages.AddRange(stray.Select(t => $"unexpected argument {Shown(t, host)}"));

        var connectionString = ConnectionStringOf(parseResult, commands);
        if (stray.Count > 0 && parseResult.CommandResult.Command == commands.Check && connectionString.Length > 0)
        {
            // Each piece redacted on its own: joined, a piece that is not in the first one's syntax would hide a secret from its parser.
            var whole = string.Join(' ', new[] { connectionString }.Concat(stray).Select(t => Shown(t, host)));
            messages.Add($"the connection string was split into several arguments; quote it as one: dbtls check \"{whole}\"");
        }

        return messages;
    }

    private static string Shown(string text, CliHost host) => host.Dialects.Detect(text).Redact(text);

    private static string ConnectionStringOf(ParseResult parseResult, CliCommands commands) =>
        parseResult.GetResult(commands.ConnectionString)?.Tokens.FirstOrDefault()?.Value ?? "";

    /// <summary>The format the command line asked for, lower-case, even when the line is otherwise bad; "" when none.</summary>
    private static string RequestedFormat(ParseResult parseResult, CliCommands commands) =>
        parseResult.GetResult(commands.CheckFormat)?.Tokens.LastOrDefault()?.Value.ToLowerInvariant() ?? "";
}

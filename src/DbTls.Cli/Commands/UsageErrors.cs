using System.CommandLine;
using DbTls.Cli.Dialects;
using DbTls.Cli.Rendering;
using DbTls.Cli.Security;
using DbTls.Diagnostics;

namespace DbTls.Cli.Commands;

/// <summary>
/// Bad command lines: the errors go to standard error and the exit code is 2 (invalid input). A
/// <c>check --format json</c> with a bad option still prints a JSON report, so scripts never have
/// to parse free text.
/// </summary>
internal static class UsageErrors
{
    public static async Task<int> WriteAsync(ParseResult parseResult, CliCommands commands, CliHost host, SecretScrubber scrubber)
    {
        var messages = parseResult.Errors.Select(e => scrubber.Scrub(e.Message)).ToList();
        foreach (var message in messages)
        {
            await host.Error.WriteLineAsync($"dbtls: {message}").ConfigureAwait(false);
        }

        var command = parseResult.CommandResult.Command;
        var help = command is RootCommand ? "dbtls --help" : $"dbtls {command.Name} --help";
        await host.Error.WriteLineAsync($"Run '{help}' for usage.").ConfigureAwait(false);

        if (command == commands.Check && WantsJson(parseResult, commands))
        {
            var connectionString = parseResult.GetResult(commands.ConnectionString)?.Tokens.FirstOrDefault()?.Value ?? "";
            var dialect = DialectDetector.Detect(connectionString);
            var redacted = ConnectionStringRedactor.Redact(connectionString, dialect);
            scrubber.AddRange(redacted.Secrets);
            var finding = FindingCatalog.Create(FindingCodes.ConfigInvalid, "Invalid command line: " + string.Join(" ", messages), $"Run '{help}' for usage.");
            var report = FailureReports.Create(finding, FailureReports.BareTarget(connectionString.Length > 0 ? dialect : ConnectionStringDialect.Unknown, redacted.Text));
            await ReportWriter.WriteAsync(report, OutputFormat.Json, host, scrubber).ConfigureAwait(false);
        }

        return ExitCodes.InvalidInput;
    }

    private static bool WantsJson(ParseResult parseResult, CliCommands commands) =>
        parseResult.GetResult(commands.CheckFormat)?.Tokens.Any(t => string.Equals(t.Value, OutputFormats.Json, StringComparison.OrdinalIgnoreCase)) == true;
}

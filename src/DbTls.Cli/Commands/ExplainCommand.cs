using System.CommandLine;
using DbTls.Cli.Rendering;
using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Explain;
using DbTls.Policy;

namespace DbTls.Cli.Commands;

/// <summary>
/// <c>dbtls explain "STRING" [--dialect NAME] [--format text|json] [--fail-on info|warning|error] [--option KEY=VALUE ...]</c>: what the string
/// does, read offline (no connection, no DNS), and the lint findings. Exit 0 clean, 1 a finding at or above --fail-on, 2 invalid input.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create(CliHost host)
    {
        var connectionString = new Argument<string>("connection-string")
        {
            Description = "The connection string, quoted as one argument: " + DialectRegistry.Formats + ".",
        };
        var format = CliCommands.CreateFormatOption("json for programs (docs/explain.md)");
        var dialect = DialectOption.Create(host.Dialects);
        var failOn = OutputOptions.FailOn();
        var options = OptionsOption.Create();
        var command = new Command("explain", "Say what a connection string really does, offline: encryption, verification, trust, TLS versions; and lint it.")
        {
            connectionString,
            format,
            dialect,
            failOn,
            options,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetRequiredValue(connectionString),
            parseResult.GetValue(dialect),
            OutputFormats.Parse(parseResult.GetValue(format)),
            OutputOptions.ParseSeverity(parseResult.GetValue(failOn)),
            OptionsOption.Pairs(parseResult.GetValue(options)),
            host,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string text, string? dialectName, OutputFormat format, Severity failOn, IReadOnlyList<KeyValuePair<string, string>> options, CliHost host, CancellationToken cancellationToken)
    {
        var dialect = OptionsOption.Dialect(host.Dialects, DialectOption.Resolve(host.Dialects, dialectName, text), dialectName, options);
        var environment = new CheckEnvironment(host.Environment)
        {
            OsUserName = host.OsUserName,
            Password = host.GetVariable(CheckCommand.PasswordVariable) is { } password ? new Secret(password) : null,
            Options = options,
        };
        var outcome = OptionsOption.Unsupported(dialect, options) is { } unsupported
            ? new ExplainOutcome(dialect.Name, dialect.Redact(text), null, unsupported)
            : ConnectionExplainer.Explain(dialect, text, environment, host.Time);
        var report = ExplainReport.From(outcome, failOn);
        var rendered = format == OutputFormat.Json ? OfflineJson.Serialize(report) + "\n" : ExplainTextRenderer.Render(report, TextSettings.For(host));
        await host.Out.WriteAsync(rendered.AsMemory(), cancellationToken).ConfigureAwait(false);
        await host.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        return report.ExitCode;
    }
}

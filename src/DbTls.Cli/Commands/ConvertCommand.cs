using System.CommandLine;
using DbTls.Cli.Rendering;
using DbTls.Conversion;
using DbTls.Dialects;
using DbTls.Explain;

namespace DbTls.Cli.Commands;

/// <summary>
/// <c>dbtls convert "STRING" --to DIALECT [--dialect NAME] [--format text|json] [--option KEY=VALUE ...]</c>: the same protection in another driver's
/// words, offline. Exit 0 when the target protects at least as much, 1 when it protects less, 2 invalid input or an impossible pair.
/// </summary>
internal static class ConvertCommand
{
    public static Command Create(CliHost host)
    {
        var connectionString = new Argument<string>("connection-string")
        {
            Description = "The connection string, quoted as one argument: " + DialectRegistry.Formats + ".",
        };
        var names = host.Dialects.Dialects.Select(d => d.Name).ToArray();
        var to = new Option<string>("--to")
        {
            Description = "The dialect to write: " + string.Join(", ", names) + " (only between drivers of the same database).",
            HelpName = "DIALECT",
            Required = true,
        };
        to.AcceptOnlyFromAmong(names);
        var format = CliCommands.CreateFormatOption("json for programs (docs/explain.md)");
        var dialect = DialectOption.Create(host.Dialects);
        var options = OptionsOption.Create();
        var command = new Command("convert", "Write a connection string for another driver with the same TLS protection, naming whatever cannot carry over.")
        {
            connectionString,
            to,
            format,
            dialect,
            options,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetRequiredValue(connectionString),
            parseResult.GetValue(dialect),
            parseResult.GetRequiredValue(to),
            OutputFormats.Parse(parseResult.GetValue(format)),
            OptionsOption.Pairs(parseResult.GetValue(options)),
            host,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string text, string? dialectName, string toName, OutputFormat format, IReadOnlyList<KeyValuePair<string, string>> options, CliHost host, CancellationToken cancellationToken)
    {
        var from = OptionsOption.Dialect(host.Dialects, DialectOption.Resolve(host.Dialects, dialectName, text), dialectName, options);
        var target = host.Dialects.Find(toName) ?? DialectRegistry.Unknown;

        // The password beside the string is not needed: nothing connects, and secrets are never copied.
        var environment = new CheckEnvironment(host.Environment) { OsUserName = host.OsUserName, Options = options };
        var report = ConvertReport.Of(OptionsOption.Unsupported(from, options) is { } unsupported
            ? new ConversionOutcome(from.Name, target.Name, from.Redact(text), null, [], unsupported)
            : ConnectionConverter.Convert(from, text, target, environment));
        var rendered = format == OutputFormat.Json ? OfflineJson.Serialize(report) + "\n" : ConvertTextRenderer.Render(report, TextSettings.For(host));
        await host.Out.WriteAsync(rendered.AsMemory(), cancellationToken).ConfigureAwait(false);
        await host.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        return report.ExitCode;
    }
}

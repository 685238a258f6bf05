using System.CommandLine;
using DbTls.Cli.Rendering;
using DbTls.Conversion;
using DbTls.Dialects;
using DbTls.Explain;
using DbTls.Policy;

namespace DbTls.Cli.Commands;

/// <summary>
/// <c>dbtls convert "STRING" --to DIALECT [--strict] [--include-password] [--dialect NAME] [--format text|json] [--option KEY=VALUE ...]</c>:
/// the same protection in another driver's words, offline. Exit 0 when the target protects at least as much, 1 when it
/// protects less (with --strict the string is then withheld), 2 invalid input or an impossible pair.
/// </summary>
internal static class ConvertCommand
{
    public static Command Create(CliHost host)
    {
        var arguments = new OfflineArguments(host);
        var names = host.Dialects.Dialects.Select(d => d.Name).ToArray();
        var to = new Option<string>("--to")
        {
            Description = "The dialect to write: " + string.Join(", ", names) + " (only between drivers of the same database).",
            HelpName = "DIALECT",
            Required = true,
        };
        to.AcceptOnlyFromAmong(names);
        var strict = new Option<bool>("--strict")
        {
            Description = "Refuse a lossy conversion: when the target would protect less in any respect, write no string (exit 1, convert.lossy).",
        };
        var includePassword = new Option<bool>("--include-password")
        {
            Description = "Write the password (from the string, " + CheckCommand.PasswordVariable + " or the driver's own sources) into the output, quoted for the target; otherwise a placeholder.",
        };
        var command = new Command("convert", "Write a connection string for another driver with the same TLS protection, naming whatever cannot carry over.");
        arguments.AddTo(command);
        command.Add(to);
        command.Add(strict);
        command.Add(includePassword);
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            arguments.Read(parseResult, host),
            parseResult.GetRequiredValue(to),
            new ConvertOptions { Strict = parseResult.GetValue(strict), IncludePassword = parseResult.GetValue(includePassword) },
            host,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(OfflineInput input, string toName, ConvertOptions options, CliHost host, CancellationToken cancellationToken)
    {
        var from = input.Dialect;
        var target = host.Dialects.Find(toName) ?? DialectRegistry.Unknown;

        // Nothing connects. The password beside the string is read only to be written out with --include-password.
        var environment = new CheckEnvironment(host.Environment)
        {
            OsUserName = host.OsUserName,
            Options = input.Options,
            Password = options.IncludePassword && host.GetVariable(CheckCommand.PasswordVariable) is { } password ? new Secret(password) : null,
        };
        var report = ConvertReport.Of(input.Unsupported is { } unsupported
            ? new ConversionOutcome(from.Name, target.Name, from.Redact(input.Text), null, [], unsupported)
            : ConnectionConverter.Convert(from, input.Text, target, environment, options));
        var rendered = input.Format == OutputFormat.Json ? OfflineJson.Serialize(report) + "\n" : ConvertTextRenderer.Render(report, TextSettings.For(host));
        await host.Out.WriteAsync(rendered.AsMemory(), cancellationToken).ConfigureAwait(false);
        await host.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        return report.ExitCode;
    }
}

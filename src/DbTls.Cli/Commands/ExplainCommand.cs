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
        var arguments = new OfflineArguments(host);
        var failOn = OutputOptions.FailOn();
        var command = new Command("explain", "Say what a connection string really does, offline: encryption, verification, trust, TLS versions; and lint it.");
        arguments.AddTo(command);
        command.Add(failOn);
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            arguments.Read(parseResult, host),
            OutputOptions.ParseSeverity(parseResult.GetValue(failOn)),
            host,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(OfflineInput input, Severity failOn, CliHost host, CancellationToken cancellationToken)
    {
        var dialect = input.Dialect;
        var environment = new CheckEnvironment(host.Environment)
        {
            OsUserName = host.OsUserName,
            Password = host.GetVariable(CheckCommand.PasswordVariable) is { } password ? new Secret(password) : null,
            Options = input.Options,
        };
        var outcome = input.Unsupported is { } unsupported
            ? new ExplainOutcome(dialect.Name, dialect.Redact(input.Text), null, unsupported)
            : ConnectionExplainer.Explain(dialect, input.Text, environment, host.Time);
        var report = ExplainReport.From(outcome, failOn);
        var rendered = input.Format == OutputFormat.Json ? OfflineJson.Serialize(report) + "\n" : ExplainTextRenderer.Render(report, TextSettings.For(host));
        await host.Out.WriteAsync(rendered.AsMemory(), cancellationToken).ConfigureAwait(false);
        await host.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        return report.ExitCode;
    }
}

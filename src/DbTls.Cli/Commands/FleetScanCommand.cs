using System.CommandLine;
using System.Globalization;
using System.Text;
using DbTls.Cli.Rendering;
using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Fleet;
using DbTls.Scan;

namespace DbTls.Cli.Commands;

/// <summary>
/// <c>dbtls scan --targets FILE</c>: the options <c>dbtls scan</c> gains for an inventory (<c>--targets</c>,
/// <c>--deadline</c>, <c>--resume</c>, <c>--format ndjson</c>) and the run, in the library's <see cref="FleetScanRunner"/>.
/// With <c>--targets</c>, <c>--concurrency</c> is how many targets are scanned at once (each with the scan's default
/// number of probe connections) and <c>--timeout</c> each probe's limit, as for one scan.
/// </summary>
internal sealed class FleetScanCommand
{
    private readonly FleetCliOptions _fleet = new();
    private readonly Argument<string> _target;
    private readonly Option<string> _format;

    private FleetScanCommand(Argument<string> target, Option<string> format)
    {
        _target = target;
        _format = format;
    }

    /// <summary>Adds the inventory options to <c>dbtls scan</c>; its target argument becomes optional (one of the two is required).</summary>
    public static FleetScanCommand AddTo(Command command, Argument<string> target, Option<string> format)
    {
        var fleet = new FleetScanCommand(target, format);
        fleet._fleet.Targets.Description = "Scan every target of this inventory instead of one: host:port or a connection string per line (# comments), or JSON (docs/fleet.md).";
        target.Arity = ArgumentArity.ZeroOrOne;
        command.Options.Add(fleet._fleet.Targets);
        command.Options.Add(fleet._fleet.Deadline);
        command.Options.Add(fleet._fleet.Resume);
        command.Validators.Add(result =>
        {
            if ((result.GetValue(target) is null) == (result.GetValue(fleet._fleet.Targets) is null))
            {
                result.AddError("Give one target or --targets FILE (not both).");
            }
        });
        return fleet;
    }

    public bool IsFleet(ParseResult parse) => _fleet.IsFleet(parse, _format);

    public async Task<int> RunAsync(ParseResult parse, ScanOptions scan, int concurrency, CliHost host, CancellationToken cancellationToken)
    {
        var environment = new CheckEnvironment(host.Environment) { OsUserName = host.OsUserName };
        IReadOnlyList<FleetTarget> targets;
        string error;
        if (parse.GetValue(_fleet.Targets) is { } file)
        {
            if (!FleetCommand.TryLoadInventory(file, host, hostPortAllowed: true, out targets, out error))
            {
                await host.Error.WriteLineAsync($"dbtls: {error}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
        }
        else
        {
            // One target: known by its host and port only, never by a string that may hold a password.
            var single = parse.GetValue(_target) ?? "";
            targets = [new FleetTarget(ScanEndpoint.TryParseHostPort(single, out var hostPort) ? $"{hostPort.Host}:{hostPort.Port}" : "(connection string)", single) { Line = 1 }];
        }

        if (!FleetCommand.TryResume(parse.GetValue(_fleet.Resume), ref targets, out var skipped, out error))
        {
            await host.Error.WriteLineAsync($"dbtls: {error}").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        var format = parse.GetValue(_format) ?? OutputFormats.Text;
        var options = new FleetOptions { Concurrency = concurrency, Deadline = parse.GetValue(_fleet.Deadline), Time = host.Time, Dialects = host.Dialects };
        var runner = new FleetScanRunner(targets, options, scan, environment);
        var ordered = await FleetStream.CollectAsync<FleetScanResult>(
            runner.RunAsync,
            () => runner.Progress,
            r => r.Target,
            format == FleetCliOptions.Ndjson ? r => FleetJson.ScanLine(r.Target.Name, r.Target.Group, r.Report) : null,
            format,
            targets.Count,
            host,
            cancellationToken).ConfigureAwait(false);
        if (ordered is null)
        {
            return CheckCommand.Cancelled;
        }

        var output = format switch
        {
            FleetCliOptions.Ndjson => null,
            OutputFormats.Json => FleetJsonArray.Render(ordered),
            _ => Text(ordered, skipped),
        };
        if (output is not null)
        {
            await host.Out.WriteAsync(output).ConfigureAwait(false);
            await host.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return FleetExitCode.Of(ordered.Select(r => r.Report.ExitCode));
    }

    private static string Text(IReadOnlyList<FleetScanResult> results, int skipped)
    {
        var text = new StringBuilder();
        foreach (var result in results)
        {
            text.Append("══ ").Append(result.Target.Name).Append(result.Target.Group is { } g ? $" ({g})" : "").Append('\n');
            text.Append(ScanTextRenderer.Render(result.Report)).Append('\n');
        }

        var summary = string.Create(CultureInfo.InvariantCulture, $"{results.Count} scanned, {results.Count(r => !r.Passed)} failed");
        return text.Append(summary).Append(skipped > 0 ? string.Create(CultureInfo.InvariantCulture, $", {skipped} skipped (--resume)") : "").Append('\n').ToString();
    }
}

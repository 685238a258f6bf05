using System.CommandLine;
using DbTls.Diagnostics;
using DbTls.Fleet;
using DbTls.Reports.Html;

namespace DbTls.Cli.Commands;

/// <summary><c>dbtls report RESULTS.ndjson --html OUT.html</c>: the self-contained HTML page over a fleet's NDJSON results.</summary>
internal static class ReportCommand
{
    public static Command Create(CliHost host)
    {
        var results = new Argument<string[]>("results")
        {
            Description = "NDJSON results of 'dbtls check --targets FILE --format ndjson' (several files are read as one fleet, e.g. shards).",
            Arity = ArgumentArity.OneOrMore,
        };
        var html = new Option<string>("--html")
        {
            Description = "Write the report as one self-contained HTML file (no network needed to view it).",
            HelpName = "FILE",
            Required = true,
        };
        var command = new Command("report", "Turn fleet results (NDJSON) into a report people read.") { results, html };
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(parseResult.GetRequiredValue(results), parseResult.GetRequiredValue(html), host, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string[] files, string output, CliHost host, CancellationToken cancellationToken)
    {
        var records = new List<FleetRecord>();
        foreach (var file in files)
        {
            if (!FleetCommand.TryRead(file, "results file", out var text, out var error))
            {
                await host.Error.WriteLineAsync($"dbtls: {error}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            records.AddRange(FleetJson.ReadAll(text));
        }

        // A target checked again (a resumed or repeated shard) counts once: its last result.
        var latest = records.GroupBy(r => r.Name, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        try
        {
            await File.WriteAllTextAsync(output, FleetHtmlReport.Render(latest, host.Time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await host.Error.WriteLineAsync($"dbtls: {output} cannot be written.").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        await host.Error.WriteLineAsync($"dbtls: {latest.Count} targets written to {output}").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}

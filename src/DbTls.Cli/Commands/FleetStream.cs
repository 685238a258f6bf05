using DbTls.Cli.Rendering;
using DbTls.Fleet;

namespace DbTls.Cli.Commands;

/// <summary>
/// What <c>check --targets</c> and <c>scan --targets</c> do alike while a fleet runs: the live progress line on a
/// terminal, each NDJSON line written as its target finishes, and a cancelled run reported on standard error.
/// </summary>
internal static class FleetStream
{
    /// <summary>
    /// Runs <paramref name="run"/> and returns its results in inventory order, or null when the caller cancelled
    /// (the message is written). <paramref name="ndjson"/> is each result's line, or null when the format is not NDJSON.
    /// </summary>
    public static async Task<List<T>?> CollectAsync<T>(
        Func<Func<T, ValueTask>, CancellationToken, Task> run,
        Func<FleetProgress> progress,
        Func<T, FleetTarget> targetOf,
        Func<T, string>? ndjson,
        string format,
        int total,
        CliHost host,
        CancellationToken cancellationToken)
    {
        var results = new List<T>(total);
        using var line = format == OutputFormats.Text && host.OutputIsTerminal ? new FleetProgressLine(progress, host.Error) : null;
        try
        {
            await run(
                async result =>
                {
                    results.Add(result);
                    if (ndjson is not null)
                    {
                        await host.Out.WriteLineAsync(ndjson(result)).ConfigureAwait(false);
                        await host.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            line?.Stop();
            await host.Error.WriteLineAsync($"dbtls: cancelled after {results.Count} of {total} targets").ConfigureAwait(false);
            return null;
        }

        line?.Stop();
        return [.. results.OrderBy(r => targetOf(r).Line).ThenBy(r => targetOf(r).Name, StringComparer.Ordinal)];
    }
}

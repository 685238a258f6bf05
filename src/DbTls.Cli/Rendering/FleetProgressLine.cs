using System.Globalization;
using DbTls.Fleet;

namespace DbTls.Cli.Rendering;

/// <summary>
/// The live line on a terminal while a fleet runs (done / failed / remaining, the slowest running target), redrawn in
/// place on standard error. Only made when standard output is a terminal: off a terminal there is no animation.
/// </summary>
internal sealed class FleetProgressLine : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Func<FleetProgress> _progress;
    private readonly TextWriter _writer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FleetProgressLine(Func<FleetProgress> progress, TextWriter writer)
    {
        _progress = progress;
        _writer = writer;
        _loop = Task.Run(LoopAsync);
    }

    public static string Format(FleetProgress progress)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{progress.Done}/{progress.Total} done, {progress.Failed} failed, {progress.Remaining} remaining");
        return progress.Slowest is { } slowest
            ? string.Create(CultureInfo.InvariantCulture, $"{line}; slowest {Shorten(slowest)} {progress.SlowestElapsed.TotalSeconds:0.0}s")
            : line;
    }

    public void Stop()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _loop.GetAwaiter().GetResult();
        _writer.Write("\r\u001b[2K");
        _writer.Flush();
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                await _writer.WriteAsync("\r\u001b[2K" + Format(_progress())).ConfigureAwait(false);
                await _writer.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private static string Shorten(string name) => name.Length <= 40 ? name : string.Concat(name.AsSpan(0, 39), "…");
}

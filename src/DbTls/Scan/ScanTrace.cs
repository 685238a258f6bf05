using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace DbTls.Scan;

/// <summary>
/// Where a scan's wall time goes, for the speed work (bench/README.md): with <see cref="ScanOptions.Trace"/> set (the
/// CLI sets it to standard error when <c>DBTLS_SCAN_TRACE=1</c>) every connection's steps are written there when the
/// scan ends, as milliseconds since the scan started: asked (the step was wanted), slot (the concurrency bound let it
/// run), open (the way in was done: TCP, SSLRequest or PRELOGIN), done (the answer was read). Off, it costs nothing per probe.
/// </summary>
internal sealed class ScanTrace
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<(double At, string Line)> _lines = new();

    public double Now => _clock.Elapsed.TotalMilliseconds;

    /// <summary>One connection's steps; NaN for a step it did not reach.</summary>
    public void Add(string what, double asked, double slot, double open, double done) =>
        _lines.Enqueue((asked, string.Create(CultureInfo.InvariantCulture, $"{asked,8:0.0} {slot,8:0.0} {open,8:0.0} {done,8:0.0}  {what}")));

    public void Note(string what)
    {
        var now = Now;
        _lines.Enqueue((now, string.Create(CultureInfo.InvariantCulture, $"{now,8:0.0} {"",8} {"",8} {"",8}  {what}")));
    }

    public void WriteTo(TextWriter writer)
    {
        writer.WriteLine("   asked     slot     open     done  (ms since the scan started)");
        foreach (var (_, line) in _lines.OrderBy(l => l.At))
        {
            writer.WriteLine(line);
        }
    }
}

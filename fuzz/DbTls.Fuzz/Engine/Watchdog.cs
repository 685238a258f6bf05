using System.Diagnostics;

namespace DbTls.Fuzz.Engine;

/// <summary>
/// The per-input time limit. A hang cannot be cancelled from inside (a parser loop does not look at
/// tokens), so a separate thread watches the clock: when one input runs past the limit it saves the
/// input, reports it and ends the process with exit code 3.
/// </summary>
internal sealed class Watchdog : IDisposable
{
    private readonly TimeSpan _limit;
    private readonly Action<byte[], TimeSpan> _onHang;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private long _startedAt;
    private byte[]? _input;

    public Watchdog(TimeSpan limit, Action<byte[], TimeSpan> onHang)
    {
        _limit = limit;
        _onHang = onHang;
        _thread = new Thread(Watch) { IsBackground = true, Name = "fuzz watchdog" };
        _thread.Start();
    }

    public void Begin(byte[] input)
    {
        Volatile.Write(ref _input, input);
        Volatile.Write(ref _startedAt, Stopwatch.GetTimestamp());
    }

    public void End() => Volatile.Write(ref _startedAt, 0);

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }

    private void Watch()
    {
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_limit.TotalMilliseconds / 10, 10, 200));
        while (!_stop.Token.WaitHandle.WaitOne(period))
        {
            var started = Volatile.Read(ref _startedAt);
            if (started == 0)
            {
                continue;
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed > _limit && Volatile.Read(ref _startedAt) == started)
            {
                _onHang(Volatile.Read(ref _input)!, elapsed);
                Environment.Exit(3);
            }
        }
    }
}

namespace DbTls.Cli.Rendering;

/// <summary>
/// While a check waits (up to 30 s for libpq), the phase it is in, on one line of standard error that each phase
/// overwrites and that is erased before the report. Only when standard error is a terminal: in a file or a pipe the
/// carriage returns and erase sequences would be noise, and scripts read the report, not the wait.
/// </summary>
internal sealed class PhaseDisplay : IProgress<string>
{
    // Carriage return, then "erase the whole line" (ECMA-48 EL 2): the next text starts on a clean line.
    private const string EraseLine = "\r\u001b[2K";

    private readonly TextWriter? _error;
    private readonly Lock _gate = new();
    private bool _shown;

    private PhaseDisplay(TextWriter? error) => _error = error;

    /// <summary>A display for the host: silent unless standard error is a terminal.</summary>
    public static PhaseDisplay For(CliHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return new PhaseDisplay(host.ErrorIsTerminal ? host.Error : null);
    }

    public void Report(string value)
    {
        if (_error is null)
        {
            return;
        }

        lock (_gate)
        {
            _error.Write($"{EraseLine}dbtls: {value}...");
            _error.Flush();
            _shown = true;
        }
    }

    /// <summary>Erases the phase line, so that the report (or any message) starts on a clean line.</summary>
    public void Clear()
    {
        if (_error is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_shown)
            {
                _error.Write(EraseLine);
                _error.Flush();
                _shown = false;
            }
        }
    }
}

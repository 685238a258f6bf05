using System.Diagnostics;
using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Reports;
using DbTls.Scan;

namespace DbTls.Fleet;

/// <summary>One target's finished scan: the report a single <c>dbtls scan</c> gives, and how long it took.</summary>
public sealed record FleetScanResult(FleetTarget Target, ScanReport Report, TimeSpan Duration)
{
    public bool Passed => Report.ExitCode == ExitCodes.Ok;
}

/// <summary>
/// <c>dbtls scan --targets</c>: the library's scan (<see cref="TlsScanner"/>) over an inventory, with the fleet's
/// concurrency, deadline and progress. A target's own timeout, when it has one, is its probes' limit. A target the
/// deadline catches, or whose string cannot be read, still ends with a report holding the finding.
/// </summary>
public sealed class FleetScanRunner
{
    private readonly FleetOptions _options;
    private readonly ScanOptions _scan;
    private readonly CheckEnvironment _environment;
    private readonly FleetScheduler<FleetScanResult> _scheduler;

    public FleetScanRunner(IReadOnlyList<FleetTarget> targets, FleetOptions options, ScanOptions scan, CheckEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(environment);
        _options = options;
        _scan = scan;
        _environment = environment;
        _scheduler = new FleetScheduler<FleetScanResult>(targets, options.Concurrency, options.Time);
    }

    /// <summary>Where the run stands now; safe to call from any thread while it runs.</summary>
    public FleetProgress Progress => _scheduler.Progress;

    /// <summary>Scans every target; <paramref name="onResult"/> is called once per target, never concurrently.</summary>
    public Task RunAsync(Func<FleetScanResult, ValueTask> onResult, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onResult);
        return _scheduler.RunAsync(_options.Deadline, ScanAsync, r => r.Passed, onResult, cancellationToken);
    }

    private async Task<FleetScanResult> ScanAsync(FleetTarget target, CancellationToken deadline, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var report = deadline.IsCancellationRequested
            ? Failed(target, FindingCatalog.Create(FindingCodes.NetTimeout, "The scan was not started before the run's --deadline."))
            : await ScanOneAsync(target, deadline, cancellationToken).ConfigureAwait(false);
        return new FleetScanResult(target, report, Stopwatch.GetElapsedTime(started));
    }

    private async Task<ScanReport> ScanOneAsync(FleetTarget target, CancellationToken deadline, CancellationToken cancellationToken)
    {
        try
        {
            var endpoint = ScanEndpoint.Parse(target.ConnectionString, _environment);
            var options = _scan with
            {
                Protocol = _scan.Protocol ?? endpoint.Protocol,
                ProbeTimeout = target.Timeout ?? _options.TargetTimeout ?? _scan.ProbeTimeout,
            };
            return await TlsScanner.ScanAsync(endpoint.Host, endpoint.Port, options, deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(target, FindingCatalog.Create(FindingCodes.NetTimeout, "The scan did not finish before the run's --deadline."));
        }
        catch (DbTlsException e)
        {
            // The string could not be read or the host not resolved: only what the parser says, never the string itself.
            return Failed(target, e.ToFinding());
        }
    }

    private static ScanReport Failed(FleetTarget target, Finding finding) => new()
    {
        Target = ScanEndpoint.TryParseHostPort(target.ConnectionString, out var hostPort) ? $"{hostPort.Host}:{hostPort.Port}" : target.Name,
        Findings = [FindingReport.From(finding)],
        ExitCode = FindingCatalog.ExitCodeFor(finding.Code),
    };
}

using DbTls.Checks;
using DbTls.Cli.Dialects;
using DbTls.Cli.Rendering;
using DbTls.Cli.Security;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Reports;

namespace DbTls.Cli.Commands;

/// <summary>
/// <c>dbtls check</c>: detect the dialect, run it, and print the report. Every outcome, including
/// bad input and bugs, becomes a report in the chosen format, so scripts reading JSON always get JSON.
/// </summary>
internal static class CheckCommand
{
    public const string PasswordVariable = "DBTLS_PASSWORD";

    /// <summary>Exit code when the user interrupts the check (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;

    public static async Task<int> RunAsync(CheckInvocation invocation, CliHost host, SecretScrubber scrubber, CancellationToken cancellationToken)
    {
        var dialect = DialectDetector.Detect(invocation.ConnectionString);
        var redacted = ConnectionStringRedactor.Redact(invocation.ConnectionString, dialect);
        scrubber.AddRange(redacted.Secrets);

        if (invocation.Verbose)
        {
            await host.Error.WriteLineAsync($"dbtls: connection string read as {dialect.ToReportName()}").ConfigureAwait(false);
        }

        var request = new CheckRequest(
            invocation.ConnectionString,
            dialect,
            new CheckOverrides(invocation.User, host.GetVariable(PasswordVariable) is { } password ? new Secret(password) : null),
            new CheckOptions { Timeout = invocation.Timeout },
            host)
        {
            DnsServer = invocation.DnsServer,
        };

        // The check enforces --timeout itself; this backstop keeps the promise to scripts even if it does not.
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (invocation.Timeout is { } timeout)
        {
            watchdog.CancelAfter(timeout + host.TimeoutGrace);
        }

        CheckReport report;
        Exception? unexpected = null;
        try
        {
            report = await host.Runners.Get(dialect).RunAsync(request, watchdog.Token).ConfigureAwait(false);
        }
        catch (DbTlsException e)
        {
            report = FailureReports.Create(e.ToFinding(), FailureReports.BareTarget(dialect, redacted.Text));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await host.Error.WriteLineAsync("dbtls: cancelled").ConfigureAwait(false);
            return Cancelled;
        }
        catch (OperationCanceledException)
        {
            // Cancelled by a time limit (the check's own or the backstop), not by the user.
            var finding = FindingCatalog.Create(FindingCodes.NetTimeout, "The check did not finish within its time limit.");
            report = FailureReports.Create(finding, FailureReports.BareTarget(dialect, redacted.Text));
        }
        catch (Exception e)
        {
            unexpected = e;
            var finding = FindingCatalog.Create(FindingCodes.InternalError, $"Unexpected error: {e.GetType().Name}: {e.Message}");
            report = FailureReports.Create(finding, FailureReports.BareTarget(dialect, redacted.Text));
        }

        await ReportWriter.WriteAsync(report, invocation.Format, host, scrubber).ConfigureAwait(false);
        if (unexpected is not null && invocation.Verbose)
        {
            await host.Error.WriteLineAsync(scrubber.Scrub(unexpected.ToString())).ConfigureAwait(false);
        }

        return report.ExitCode;
    }
}

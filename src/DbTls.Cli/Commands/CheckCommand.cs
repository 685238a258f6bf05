using DbTls.Checks;
using DbTls.Cli.Rendering;
using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Policy;
using DbTls.Reports;

namespace DbTls.Cli.Commands;

/// <summary>
/// <c>dbtls check</c>: hand the string to the library's <see cref="ConnectionCheck"/> and print the report.
/// Every outcome, including bad input and bugs, becomes a report in the chosen format, so scripts reading
/// JSON always get JSON.
/// </summary>
internal static class CheckCommand
{
    public const string PasswordVariable = "DBTLS_PASSWORD";

    /// <summary>Exit code when the user interrupts the check (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;

    public static async Task<int> RunAsync(CheckInvocation invocation, CliHost host, CancellationToken cancellationToken)
    {
        var dialect = OptionsOption.Dialect(host.Dialects, DialectOption.Resolve(host.Dialects, invocation.Dialect, invocation.ConnectionString), invocation.Dialect, invocation.Options);
        if (invocation.Verbose)
        {
            await host.Error.WriteLineAsync($"dbtls: connection string read as {dialect.Name}").ConfigureAwait(false);
        }

        Exception? unexpected = null;
        var environment = new CheckEnvironment(host.Environment)
        {
            OsUserName = host.OsUserName,
            User = invocation.User,
            Password = host.GetVariable(PasswordVariable) is { } password ? new Secret(password) : null,
            MongoDns = () => host.MongoDns(invocation.DnsServer),
            Options = invocation.Options,
            UnexpectedError = e => unexpected = e,
        };

        // The check enforces --timeout itself; this backstop keeps the promise to scripts even if it does not.
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (invocation.Timeout is { } timeout)
        {
            watchdog.CancelAfter(timeout + host.TimeoutGrace);
        }

        CheckReport report;
        var phases = PhaseDisplay.For(host);
        try
        {
            report = OptionsOption.Unsupported(dialect, invocation.Options) is { } unsupported
                ? ConnectionCheck.Refused(dialect, invocation.ConnectionString, unsupported)
                : await ConnectionCheck.RunAsync(dialect, invocation.ConnectionString, environment, new CheckOptions { Timeout = invocation.Timeout, Phase = phases }, watchdog.Token)
                    .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            phases.Clear();
            await host.Error.WriteLineAsync("dbtls: cancelled").ConfigureAwait(false);
            return Cancelled;
        }
        catch (OperationCanceledException)
        {
            // The backstop fired: the check overran its own limit.
            var finding = FindingCatalog.Create(FindingCodes.NetTimeout, "The check did not finish within its time limit.");
            report = ConnectionCheck.Refused(dialect, invocation.ConnectionString, finding);
        }

        phases.Clear();
        var gate = GateOutcome.Evaluate(report, invocation.Gate, host);
        await ReportWriter.WriteAsync(report, invocation.Format, host, gate).ConfigureAwait(false);
        if (invocation.SaveChain is { } chainFile)
        {
            await SaveChainOption.SaveAsync(report, chainFile, host).ConfigureAwait(false);
        }

        if (unexpected is not null && invocation.Verbose)
        {
            await host.Error.WriteAsync(UnexpectedErrors.Where(unexpected)).ConfigureAwait(false);
        }

        return await GateOutcome.ApplyAsync(report, gate, host).ConfigureAwait(false);
    }
}

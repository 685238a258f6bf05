using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Reports;

namespace DbTls.Checks;

/// <summary>
/// Checks a connection string the way its driver would connect: detect the dialect, parse it with the
/// environment and overrides, run the protocol's check and return the report. Every outcome is a report,
/// including input the dialect refuses, time limits and bugs; only the caller's own cancellation throws.
/// </summary>
public static class ConnectionCheck
{
    /// <summary>Checks with every dialect dbtls knows.</summary>
    public static Task<CheckReport> RunAsync(string connectionString, CheckEnvironment environment, CheckOptions options, CancellationToken cancellationToken = default) =>
        RunAsync(DialectRegistry.Default, connectionString, environment, options, cancellationToken);

    /// <summary>Checks with the given dialects.</summary>
    public static async Task<CheckReport> RunAsync(
        DialectRegistry dialects,
        string connectionString,
        CheckEnvironment environment,
        CheckOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dialects);
        ArgumentNullException.ThrowIfNull(connectionString);
        return await RunAsync(dialects.Detect(connectionString), connectionString, environment, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks the string as <paramref name="dialect"/> reads it, without detection: for strings whose syntax several
    /// drivers share (a <c>postgresql://</c> URI means different things to libpq and node-postgres).
    /// </summary>
    public static async Task<CheckReport> RunAsync(
        IConnectionDialect dialect,
        string connectionString,
        CheckEnvironment environment,
        CheckOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);

        try
        {
            return await dialect.CheckAsync(connectionString, environment, options, cancellationToken).ConfigureAwait(false);
        }
        catch (DbTlsException e)
        {
            return FailureReports.Create(e.ToFinding(), BareTarget(dialect, connectionString));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Cancelled by a time limit inside the check, not by the caller.
            var finding = FindingCatalog.Create(FindingCodes.NetTimeout, "The check did not finish within its time limit.");
            return FailureReports.Create(finding, BareTarget(dialect, connectionString));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug. Its message is not shown: exception text is not built to be free of secrets.
            environment.UnexpectedError?.Invoke(e);
            var finding = FindingCatalog.Create(FindingCodes.InternalError, UnexpectedErrors.Describe(e));
            return FailureReports.Create(finding, BareTarget(dialect, connectionString));
        }
    }

    /// <summary>A report for a check that could not be made (e.g. a bad command line around the string), judged by the same rule as every check.</summary>
    public static CheckReport Refused(DialectRegistry dialects, string connectionString, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(dialects);
        ArgumentNullException.ThrowIfNull(connectionString);
        return Refused(dialects.Detect(connectionString), connectionString, finding);
    }

    /// <summary>A report for a check that could not be made, with the string shown as <paramref name="dialect"/> redacts it.</summary>
    public static CheckReport Refused(IConnectionDialect dialect, string connectionString, Finding finding) =>
        FailureReports.Create(finding, BareTarget(dialect, connectionString));

    /// <summary>The dialect's name and the redacted string, for reports made before a dialect could parse.</summary>
    public static TargetReport BareTarget(IConnectionDialect dialect, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return FailureReports.BareTarget(dialect.Name, dialect.Redact(connectionString));
    }
}

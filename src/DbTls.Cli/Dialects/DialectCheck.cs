using System.Collections.Immutable;
using DbTls.Cli.Security;
using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Cli.Dialects;

/// <summary>
/// The steps every dialect runner shares: a string the dialect cannot read is invalid input (exit 2) with
/// the string redacted; a check that throws instead of reporting still keeps the findings its settings
/// justified. Runners only say how to parse, how to apply the overrides and which check to run.
/// </summary>
internal static class DialectCheck
{
    public static async Task<CheckReport> RunAsync<TSpec>(
        CheckRequest request,
        Func<CheckRequest, TSpec> parse,
        Func<TSpec, CancellationToken, Task<CheckReport>> check,
        Func<TSpec, TargetReport> targetOf,
        Func<TSpec, ImmutableArray<Finding>> findingsOf,
        CancellationToken cancellationToken)
    {
        TSpec spec;
        try
        {
            spec = parse(request);
        }
        catch (DbTlsException e)
        {
            var redacted = ConnectionStringRedactor.Redact(request.ConnectionString, request.Dialect).Text;
            return FailureReports.InvalidInput(e.ToFinding(), FailureReports.BareTarget(request.Dialect, redacted));
        }

        try
        {
            return await check(spec, cancellationToken).ConfigureAwait(false);
        }
        catch (DbTlsException e)
        {
            // The checks report their own failures; this only keeps what the spec says when one threw instead.
            var report = FailureReports.Create(e.ToFinding(), targetOf(spec));
            report.Findings.InsertRange(0, findingsOf(spec).Select(FindingReports.From));
            return report;
        }
    }
}

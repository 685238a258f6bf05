using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Reports;

namespace DbTls.Checks;

/// <summary>
/// Connects to PostgreSQL as libpq would under the spec's policy and reports what happened: every
/// connection attempt, the TLS handshake, the login and the server's own view of the session.
/// It never throws for anything the server or the network does; only cancellation by the caller
/// ends it with an exception.
/// </summary>
internal static partial class PostgresCheck
{
    /// <summary>Used when neither the options nor connect_timeout give a limit, so that a silent server cannot hang the check.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<CheckReport> RunAsync(PostgresConnectionSpec spec, CheckOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);

        var run = new CheckRun(spec, CreateReport(spec)) { Progress = options.Phase };
        var timeout = EffectiveTimeout(options.Timeout ?? spec.ConnectTimeout);
        var failure = await CheckRunner.RunAsync(timeout, async deadline =>
        {
            await ConnectAsync(run, deadline).ConfigureAwait(false);
            return null;
        },
        new FailureLadder
        {
            Timeout = () => FindingCatalog.Create(FindingCodes.NetTimeout,
                $"the server did not complete connection, negotiation and login within {FormatSeconds(timeout)} ({run.Phase})"),
            TlsHandshake = ex =>
            {
                run.Report.Tls ??= ex.Report;
                return ex.ToFinding();
            },
            Refusal = ex => ex.ToFinding(),
            Scrub = message => Scrub(message, spec),
        }, cancellationToken).ConfigureAwait(false);

        Finish(run, failure);
        return run.Report;
    }

    internal static TimeSpan EffectiveTimeout(TimeSpan? requested) =>
        requested is { } value && value > TimeSpan.Zero ? value : DefaultTimeout;

    private static string FormatSeconds(TimeSpan timeout) => CheckText.Seconds(timeout);

    private static string Scrub(string message, PostgresConnectionSpec spec) => CheckText.Scrub(message, spec.Password);
}

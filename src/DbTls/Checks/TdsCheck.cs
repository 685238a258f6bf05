using DbTls.Diagnostics;
using DbTls.Dialects.Tds;
using DbTls.Reports;

namespace DbTls.Checks;

/// <summary>
/// Connects to SQL Server as the spec's driver (SqlClient, the JDBC driver, FreeTDS) would and reports
/// what happened: the PRELOGIN exchange and what the driver makes of the server's ENCRYPTION answer,
/// the TLS handshake (wrapped in PRELOGIN packets, or first under TDS 8.0 strict), the login and the
/// server's own view of the session from <c>sys.dm_exec_connections</c>. It never throws for anything
/// the server or the network does; only cancellation by the caller ends it with an exception.
/// </summary>
internal static partial class TdsCheck
{
    /// <summary>Used when neither the options nor the driver's login timeout give a limit, so a silent server cannot hang the check.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The server's view of the session: what SQL Server itself says about encryption, protocol and authentication.</summary>
    public const string ServerViewQuery = "SELECT encrypt_option, protocol_type, auth_scheme FROM sys.dm_exec_connections WHERE session_id = @@SPID";

    public static async Task<CheckReport> RunAsync(TdsConnectionSpec spec, CheckOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);

        var run = new CheckRun(spec, CreateReport(spec)) { Progress = options.Phase };
        var timeout = options.Timeout is { } requested && requested > TimeSpan.Zero ? requested : spec.LoginTimeout ?? DefaultTimeout;
        var failure = await CheckRunner.RunAsync(timeout, async deadline =>
        {
            await ConnectAsync(run, deadline).ConfigureAwait(false);
            return null;
        },
        new FailureLadder
        {
            Timeout = () => FindingCatalog.Create(FindingCodes.NetTimeout,
                $"the server did not complete connection, PRELOGIN, TLS and login within {Seconds(timeout)}{run.Stage()}"),
            TlsHandshake = ex =>
            {
                run.Report.Tls ??= ex.Report;
                return Cause(ex, spec).ToFinding();
            },
            Refusal = ex => Cause(ex, spec).ToFinding(),
            BrokenConnection = ex => Innermost(ex) is { } cause
                ? Cause(cause, spec).ToFinding()
                : FindingCatalog.Create(FindingCodes.ServerClosed, $"the connection broke{run.Stage()}: {Scrub(Deepest(ex).Message, spec)}"),
            Scrub = message => Scrub(message, spec),
        }, cancellationToken).ConfigureAwait(false);

        if (failure is not null)
        {
            run.MarkFailed(failure);
        }

        Finish(run, failure);
        return run.Report;
    }

    /// <summary>
    /// The fault that really ended the connection. TLS and socket layers wrap what the TDS layer found
    /// beneath them (a clear-text packet where TLS records belong, a malformed packet); the innermost
    /// <see cref="DbTlsException"/> names it. A certificate failure has none beneath it and stays as it is.
    /// </summary>
    private static DbTlsException Cause(DbTlsException exception, TdsConnectionSpec spec)
    {
        var cause = Innermost(exception.InnerException) ?? exception;
        var message = Scrub(cause.Message, spec);
        return ReferenceEquals(cause, exception) && message == exception.Message ? exception : new DbTlsException(cause.Code, message, cause.Remedy);
    }

    private static DbTlsException? Innermost(Exception? exception)
    {
        DbTlsException? found = null;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbTlsException dbtls)
            {
                found = dbtls;
            }
        }

        return found;
    }

    private static Exception Deepest(Exception exception)
    {
        var e = exception;
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    private static string Seconds(TimeSpan timeout) => CheckText.Seconds(timeout);

    private static string Scrub(string message, TdsConnectionSpec spec) => CheckText.Scrub(message, spec.Password);
}

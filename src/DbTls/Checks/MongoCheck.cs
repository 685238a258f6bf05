using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Reports;
using DbTls.Wire.Mongo;

namespace DbTls.Checks;

/// <summary>
/// Connects to MongoDB as a driver would under the spec's TLS options and reports what happened: the
/// seeds (resolved from DNS for <c>mongodb+srv://</c>), one attempt per seed until one fully succeeds,
/// the TLS handshake, the hello reply, the SCRAM login and <c>connectionStatus</c> as the server's view.
/// It never throws for anything the server, DNS or the network does; only cancellation by the caller
/// ends it with an exception.
/// </summary>
internal static partial class MongoCheck
{
    /// <summary>serverSelectionTimeoutMS's default in every driver: the limit when neither the options nor the URI give one.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>PyMongo's connectTimeoutMS default: how long one seed may take to connect, negotiate and answer.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(20);

    public static async Task<CheckReport> RunAsync(MongoConnectionSpec spec, MongoCheckOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);

        var run = new CheckRun(spec, CreateReport(spec)) { Dns = options.Dns, Progress = options.Phase };
        var timeout = Positive(options.Timeout) ?? Positive(spec.ServerSelectionTimeout) ?? DefaultTimeout;
        var failure = await CheckRunner.RunAsync(timeout, async deadline =>
        {
            MongoProxyOptions.RefuseTunnel(spec);
            await ResolveSeedsAsync(run, options.Dns, deadline).ConfigureAwait(false);
            PrepareCredential(run);
            return await TrySeedsAsync(run, timeout, deadline, cancellationToken).ConfigureAwait(false);
        },
        new FailureLadder
        {
            // Each seed has its own limit inside TrySeedsAsync; only the SRV lookup before them meets this one.
            Timeout = () => FindingCatalog.Create(FindingCodes.NetTimeout, $"DNS seedlist discovery did not finish within {FormatSeconds(timeout)}", MongoRemedy(FindingCodes.NetTimeout)),
            Refusal = ex => Diagnose(ex, ex.Message),
            Scrub = message => Scrub(message, spec),
        }, cancellationToken).ConfigureAwait(false);

        Finish(run, failure);
        return run.Report;
    }

    /// <summary>mongodb+srv://: the seeds and the TXT options from DNS, recorded in target.sources.</summary>
    private static async Task ResolveSeedsAsync(CheckRun run, IMongoDnsResolver? dns, CancellationToken cancellationToken)
    {
        var spec = run.Spec;
        if (!spec.IsSrv)
        {
            return;
        }

        if (dns is null)
        {
            throw new DbTlsException(FindingCodes.DnsSrvLookupFailed,
                $"mongodb+srv://{spec.SrvHostName} needs DNS SRV and TXT lookups, and no DNS resolver was configured for this check",
                "Pass a resolver in MongoCheckOptions.Dns (the command line always has one; --dns-server chooses the server it asks).");
        }

        var resolved = await MongoSeedlistDiscovery.ResolveAsync(spec, dns, cancellationToken).ConfigureAwait(false);
        run.Spec = resolved;
        var target = run.Report.Target;
        target.Sources = [.. resolved.Sources, $"seeds: {string.Join(", ", resolved.Hosts)}"];
        target.Port = resolved.Hosts[0].Port;
        if (run.Report.Policy is { } policy)
        {
            policy.Summary = PolicySummary(resolved);
        }
    }

    /// <summary>Decides before any connection whether and how the check logs in; a configuration problem should not cost a connection.</summary>
    private static void PrepareCredential(CheckRun run)
    {
        var spec = run.Spec;
        try
        {
            run.Credential = MongoCredential.FromSpec(spec);
            if (run.Credential is null)
            {
                run.NoLogin = FindingCatalog.Create(FindingCodes.AuthSkipped,
                    "the connection string names no user, so the driver connects without authenticating; dbtls stopped after the hello handshake",
                    "Give a user and password (in the URI, percent-encoded, or with --user and DBTLS_PASSWORD) to log in and read connectionStatus.");
            }
        }
        catch (DbTlsException ex) when (ex.Code is FindingCodes.AuthSkipped or FindingCodes.AuthMechanismUnsupported)
        {
            run.NoLogin = FindingCatalog.Create(ex.Code, $"{ex.Message}; dbtls stopped after the hello handshake",
                ex.Code == FindingCodes.AuthSkipped
                    ? "Give the password in the URI (percent-encoded) or in DBTLS_PASSWORD to log in and read connectionStatus."
                    : ex.Remedy);
        }
    }

    private static TimeSpan? Positive(TimeSpan? value) => value is { } v && v > TimeSpan.Zero ? v : null;

    internal static string FormatSeconds(TimeSpan timeout) => CheckText.Seconds(timeout);

    private static string Scrub(string message, MongoConnectionSpec spec) =>
        CheckText.Scrub(message, spec.Password, spec.TlsSettings.CertificateKeyFilePassword);
}

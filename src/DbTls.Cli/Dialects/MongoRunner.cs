using DbTls.Checks;
using DbTls.Cli.Security;
using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Reports;

namespace DbTls.Cli.Dialects;

/// <summary>
/// MongoDB through the drivers' URI rules: parse with --user / DBTLS_PASSWORD as the client options
/// (which win over the URI, as PyMongo's keyword arguments do), resolve mongodb+srv:// through the DNS
/// server of --dns-server or the system's, and check.
/// </summary>
internal sealed class MongoRunner : IDialectRunner
{
    private const string CodeUser = "username: client options";
    private const string CodePassword = "password: client options";

    public async Task<CheckReport> RunAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        MongoConnectionSpec spec;
        try
        {
            spec = MongoConnectionString.Parse(request.ConnectionString, ClientOptionsOf(request.Overrides));
        }
        catch (DbTlsException e)
        {
            var redacted = ConnectionStringRedactor.Redact(request.ConnectionString, request.Dialect).Text;
            return FailureReports.InvalidInput(e.ToFinding(), FailureReports.BareTarget(request.Dialect, redacted));
        }

        spec = spec with { Sources = [.. spec.Sources.Select(s => s == CodeUser ? "user: --user" : s == CodePassword ? "password: DBTLS_PASSWORD" : s)] };
        var options = MongoCheckOptions.From(request.Options, spec.IsSrv ? request.Host.MongoDns(request.DnsServer) : null);
        try
        {
            return await MongoCheck.RunAsync(spec, options, cancellationToken).ConfigureAwait(false);
        }
        catch (DbTlsException e)
        {
            // The check reports its own failures; this only keeps what the spec says when it threw instead.
            var report = FailureReports.Create(e.ToFinding(), MongoCheck.TargetOf(spec));
            report.Findings.InsertRange(0, spec.Findings.Select(FindingReports.From));
            return report;
        }
    }

    /// <summary>The command-line overrides as PyMongo-style client options, so the URI parser applies its own precedence and authSource rules to them.</summary>
    internal static MongoClientOptions ClientOptionsOf(CheckOverrides overrides) => new()
    {
        Username = overrides.User,
        Password = overrides.Password,
    };
}

using DbTls.Checks;
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

    public Task<CheckReport> RunAsync(CheckRequest request, CancellationToken cancellationToken) =>
        DialectCheck.RunAsync(
            request,
            Parse,
            (spec, ct) => MongoCheck.RunAsync(spec, MongoCheckOptions.From(request.Options, spec.IsSrv ? request.Host.MongoDns(request.DnsServer) : null), ct),
            MongoCheck.TargetOf,
            spec => spec.Findings,
            cancellationToken);

    private static MongoConnectionSpec Parse(CheckRequest request)
    {
        var spec = MongoConnectionString.Parse(request.ConnectionString, ClientOptionsOf(request.Overrides));
        return spec with { Sources = [.. spec.Sources.Select(s => s == CodeUser ? "user: --user" : s == CodePassword ? "password: DBTLS_PASSWORD" : s)] };
    }

    /// <summary>The command-line overrides as PyMongo-style client options, so the URI parser applies its own precedence and authSource rules to them.</summary>
    internal static MongoClientOptions ClientOptionsOf(CheckOverrides overrides) => new()
    {
        Username = overrides.User,
        Password = overrides.Password,
    };
}

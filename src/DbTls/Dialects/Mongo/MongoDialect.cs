using DbTls.Checks;
using DbTls.Reports;

namespace DbTls.Dialects.Mongo;

/// <summary>
/// MongoDB connection strings (<c>mongodb://</c>, <c>mongodb+srv://</c>) through the drivers' URI rules. The user
/// and password given beside the URI are passed as client options, which win over the URI as PyMongo's keyword
/// arguments do; mongodb+srv:// is resolved through the environment's DNS resolver.
/// </summary>
internal sealed partial class MongoDialect : IConnectionDialect
{
    // How the URI parser names client options in the sources; replaced by where the override really came from.
    private const string ClientOptionsUser = "username: client options";
    private const string ClientOptionsPassword = "password: client options";

    public string Name => "mongodb";

    public DialectConfidence Recognise(ConnectionStringShape shape) =>
        shape.StartsWith(MongoConnectionString.Scheme) || shape.StartsWith(MongoConnectionString.SrvScheme)
            ? DialectConfidence.Scheme
            : DialectConfidence.None;

    public string Redact(string connectionString) => MongoRedactor.Redact(connectionString);

    public Task<CheckReport> CheckAsync(string connectionString, CheckEnvironment environment, CheckOptions options, CancellationToken cancellationToken) =>
        DialectRun.RunAsync(
            this,
            connectionString,
            () => Parse(connectionString, environment),
            (spec, ct) => MongoCheck.RunAsync(spec, MongoCheckOptions.From(options, spec.IsSrv ? environment.MongoDns() : null), ct),
            MongoCheck.TargetOf,
            spec => spec.Findings,
            cancellationToken);

    private static MongoConnectionSpec Parse(string connectionString, CheckEnvironment environment)
    {
        var spec = MongoConnectionString.Parse(connectionString, ClientOptionsOf(environment));
        var user = DialectRun.Source("user", environment.UserSource);
        var password = DialectRun.Source("password", environment.PasswordSource);
        return spec with
        {
            Sources = [.. spec.Sources.Select(s => s == ClientOptionsUser ? user : s == ClientOptionsPassword ? password : s)],
            RedactedUri = MongoRedactor.RedactParsed(spec.RedactedUri),
        };
    }

    /// <summary>The overrides as client options, so the URI parser applies its own precedence and authSource rules to them.</summary>
    internal static MongoClientOptions ClientOptionsOf(CheckEnvironment environment) => new()
    {
        Username = environment.User,
        Password = environment.Password,
    };
}

using System.Collections.Immutable;
using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Reports;

namespace DbTls.Dialects.PyMongo;

/// <summary>
/// PyMongo's <c>MongoClient(uri, **kwargs)</c>: a mongodb:// URI plus keyword arguments (the CLI's repeatable
/// <c>--option key=value</c>, <see cref="CheckEnvironment.Options"/>) that win over the URI, read by
/// <see cref="PyMongoKeywordArguments"/>, then the MongoDB check. It claims no string by itself: <c>--dialect pymongo</c>
/// or <c>--option</c> selects it.
/// </summary>
internal sealed partial class PyMongoDialect : IConnectionDialect
{
    /// <summary>The name <c>--dialect</c> and inventories select it by; the one spelling of it.</summary>
    internal const string DialectName = "pymongo";

    public string Name => DialectName;

    public DialectConfidence Recognise(ConnectionStringShape shape) => DialectConfidence.None;

    public string Redact(string connectionString) => MongoRedactor.Redact(connectionString);

    public async Task<CheckReport> CheckAsync(string connectionString, CheckEnvironment environment, CheckOptions options, CancellationToken cancellationToken)
    {
        var report = await DialectRun.RunAsync(
            this,
            connectionString,
            () => Parse(connectionString, environment),
            (spec, ct) => MongoCheck.RunAsync(spec, MongoCheckOptions.From(options, spec.IsSrv ? environment.MongoDns() : null), ct),
            MongoCheck.TargetOf,
            spec => spec.Findings,
            cancellationToken).ConfigureAwait(false);

        // The MongoDB check labels its report mongodb; the keyword arguments make it PyMongo's.
        report.Target.Dialect = Name;
        return report;
    }

    internal static MongoConnectionSpec Parse(string connectionString, CheckEnvironment environment)
    {
        var notes = ImmutableArray.CreateBuilder<Finding>();
        var question = connectionString.IndexOf('?', StringComparison.Ordinal);
        IReadOnlyDictionary<string, string> uriOptions = question < 0
            ? new Dictionary<string, string>()
            : MongoUriOptionParser.ParseOptions(connectionString[(question + 1)..], ImmutableArray.CreateBuilder<Finding>()).Values;
        var keywords = PyMongoKeywordArguments.Read(environment.Options, uriOptions, notes);

        // --user and DBTLS_PASSWORD are keyword arguments too, and win over --option username=/password=.
        keywords = keywords with
        {
            Username = environment.User ?? keywords.Username,
            Password = environment.Password ?? keywords.Password,
        };
        var spec = MongoConnectionString.Parse(connectionString, keywords);
        return spec with
        {
            RedactedUri = MongoRedactor.RedactParsed(spec.RedactedUri),
            Findings = spec.Findings.AddRange(notes),
        };
    }
}

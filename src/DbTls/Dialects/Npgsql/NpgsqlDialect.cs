using DbTls.Checks;
using DbTls.Dialects.Libpq;
using DbTls.Dialects.SqlClient;
using DbTls.Reports;

namespace DbTls.Dialects.Npgsql;

/// <summary>
/// Npgsql 10 (<c>Host=...;Database=...;SSL Mode=...</c>): its own keywords and SSL-mode meanings, .NET's chain
/// engine and SslStream's host-name check, run through the shared PostgreSQL check.
/// </summary>
internal sealed partial class NpgsqlDialect : IConnectionDialect
{
    public string Name => "npgsql";

    // Keywords SqlClient shares (Server, Database, Password ...) leave the string to SqlClient, registered after.
    public DialectConfidence Recognise(ConnectionStringShape shape) =>
        shape.FirstKey is { } key
        && shape.SemicolonEndsFirstValue
        && SqlClientKeywords.Canonical(key.Trim().ToLowerInvariant()) is null
        && NpgsqlKeywords.Canonical(key) is not null
            ? DialectConfidence.KeywordAndSeparator
            : DialectConfidence.None;

    public string Redact(string connectionString) => NpgsqlRedactor.Redact(connectionString);

    public Task<CheckReport> CheckAsync(string connectionString, CheckEnvironment environment, CheckOptions options, CancellationToken cancellationToken) =>
        DialectRun.RunAsync(
            this,
            connectionString,
            () =>
            {
                var parsed = NpgsqlConnectionString.Parse(connectionString, LibpqDialect.EnvironmentOf(environment));
                return LibpqDialect.ApplyOverrides(parsed.Spec with { Dialect = Name, PolicySummary = parsed.Summary }, environment);
            },
            (spec, ct) => PostgresCheck.RunAsync(spec, options, ct),
            PostgresCheck.TargetOf,
            spec => spec.Findings,
            cancellationToken);
}

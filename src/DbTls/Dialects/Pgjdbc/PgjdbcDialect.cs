using DbTls.Checks;
using DbTls.Dialects.Libpq;
using DbTls.Reports;

namespace DbTls.Dialects.Pgjdbc;

/// <summary>
/// PostgreSQL through the pgjdbc driver (<c>jdbc:postgresql:</c> URLs), 42.x semantics from its sources and measured
/// against pgjdbc 42.5.5 on Java 17 (PgjdbcParityTests). Only the JDBC URL prefix claims a string: a
/// <c>postgresql://</c> URI stays libpq's unless <c>--dialect pgjdbc</c> is given, and then it is refused as pgjdbc would.
/// </summary>
internal sealed partial class PgjdbcDialect : IConnectionDialect
{
    public string Name => "pgjdbc";

    public DialectConfidence Recognise(ConnectionStringShape shape) =>
        shape.StartsWith(PgjdbcUrl.Prefix) ? DialectConfidence.Scheme : DialectConfidence.None;

    public string Redact(string connectionString) => PgjdbcRedactor.Redact(connectionString);

    public Task<CheckReport> CheckAsync(string connectionString, CheckEnvironment environment, CheckOptions options, CancellationToken cancellationToken) =>
        DialectRun.RunAsync(
            this,
            connectionString,
            () => LibpqDialect.ApplyOverrides(PgjdbcConnectionString.Parse(connectionString, environment) with { Dialect = Name }, environment),
            (spec, ct) => PostgresCheck.RunAsync(spec, options, ct),
            PostgresCheck.TargetOf,
            spec => spec.Findings,
            cancellationToken);
}

using DbTls.Checks;
using DbTls.Dialects.Libpq;
using DbTls.Reports;

namespace DbTls.Dialects.NodePostgres;

/// <summary>
/// node-postgres (npm <c>pg</c> 8.23 with pg-connection-string 2.14) given a <c>postgres://</c> URI, measured against
/// the real driver in NodePostgresParityTests. A postgres:// URI is libpq's by default; this dialect is chosen with
/// <c>--dialect node-postgres</c> (or <c>pg</c>), so it never claims a string by itself.
/// </summary>
internal sealed partial class NodePostgresDialect : IConnectionDialect
{
    public string Name => "node-postgres";

    public DialectConfidence Recognise(ConnectionStringShape shape) => DialectConfidence.None;

    public string Redact(string connectionString) => NodePostgresRedactor.Redact(connectionString);

    public Task<CheckReport> CheckAsync(string connectionString, CheckEnvironment environment, CheckOptions options, CancellationToken cancellationToken) =>
        DialectRun.RunAsync(
            this,
            connectionString,
            () =>
            {
                var (spec, shown) = NodePostgresConnectionString.Parse(connectionString, environment);
                return LibpqDialect.ApplyOverrides(spec with { Dialect = Name, PolicySummary = shown }, environment);
            },
            (spec, ct) => PostgresCheck.RunAsync(spec, options, ct),
            PostgresCheck.TargetOf,
            spec => spec.Findings,
            cancellationToken);
}

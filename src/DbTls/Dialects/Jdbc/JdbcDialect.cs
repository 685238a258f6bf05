using DbTls.Checks;
using DbTls.Dialects.Tds;
using DbTls.Reports;

namespace DbTls.Dialects.Jdbc;

/// <summary>Microsoft JDBC Driver for SQL Server URLs (<c>jdbc:sqlserver://</c>), checked over TDS.</summary>
internal sealed partial class JdbcDialect : IConnectionDialect
{
    public const string Scheme = "jdbc:sqlserver://";

    public string Name => "jdbc";

    public DialectConfidence Recognise(ConnectionStringShape shape) =>
        shape.StartsWith(Scheme) ? DialectConfidence.Scheme : DialectConfidence.None;

    public string Redact(string connectionString) => JdbcRedactor.Redact(connectionString);

    public Task<CheckReport> CheckAsync(string connectionString, CheckEnvironment environment, CheckOptions options, CancellationToken cancellationToken) =>
        TdsDialectRun.RunAsync(this, connectionString, () => JdbcConnectionString.Parse(connectionString), environment, options, cancellationToken);
}

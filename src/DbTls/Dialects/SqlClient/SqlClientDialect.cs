using DbTls.Checks;
using DbTls.Dialects.Tds;
using DbTls.Reports;

namespace DbTls.Dialects.SqlClient;

/// <summary>Microsoft.Data.SqlClient <c>Server=...;Encrypt=...</c> strings, checked over TDS.</summary>
internal sealed partial class SqlClientDialect : IConnectionDialect
{
    public string Name => "sqlclient";

    public DialectConfidence Recognise(ConnectionStringShape shape)
    {
        if (shape.FirstKey is not { } key)
        {
            return DialectConfidence.None;
        }

        if (SharedKeywords.IsShared(key))
        {
            return shape.SemicolonEndsFirstValue ? DialectConfidence.KeywordAndSeparator : DialectConfidence.None;
        }

        // SqlClient compares keywords case-insensitively; Npgsql's keywords are libpq's and are left to it.
        return SqlClientKeywords.Canonical(key.ToLowerInvariant()) is not null ? DialectConfidence.Keyword : DialectConfidence.None;
    }

    public string Redact(string connectionString) => SqlClientRedactor.Redact(connectionString);

    public Task<CheckReport> CheckAsync(string connectionString, CheckEnvironment environment, CheckOptions options, CancellationToken cancellationToken) =>
        TdsDialectRun.RunAsync(this, connectionString, () => SqlClientConnectionString.Parse(connectionString), environment, options, cancellationToken);
}

using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Dialects.SqlClient;
using DbTls.Reports;

namespace DbTls.Dialects.Libpq;

/// <summary>
/// Npgsql's <c>Host=...;Database=...</c> strings: recognised so the user learns to write the libpq form,
/// not run. They use libpq's keywords with semicolons, so they live beside libpq's keyword table.
/// </summary>
internal sealed class NpgsqlDialect : IConnectionDialect
{
    public string Name => "npgsql";

    public DialectConfidence Recognise(ConnectionStringShape shape) =>
        shape.FirstKey is { } key
        && shape.SemicolonEndsFirstValue
        && !SharedKeywords.IsShared(key)
        && (LibpqKeywords.TryGet(key.ToLowerInvariant(), out _) || key.Equals("username", StringComparison.OrdinalIgnoreCase))
            ? DialectConfidence.KeywordAndSeparator
            : DialectConfidence.None;

    // Same key=value;... syntax as SqlClient's, so the same structural redaction.
    public string Redact(string connectionString) => SqlClientRedactor.Redact(connectionString);

    public Task<CheckReport> CheckAsync(string connectionString, CheckEnvironment environment, CheckOptions options, CancellationToken cancellationToken) =>
        throw new DbTlsException(
            FindingCodes.ConfigInvalid,
            "Npgsql-style connection strings (Host=...;Database=...) are not supported",
            "Write the connection in libpq form (host=... port=... dbname=... sslmode=...) or as a postgresql:// URI.");
}

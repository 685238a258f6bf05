using DbTls.Dialects.Libpq;
using DbTls.Reports;

namespace DbTls.Checks;

/// <summary>Connects to PostgreSQL as libpq would under the spec's policy and reports what happened.</summary>
public static class PostgresCheck
{
    // Placeholder replaced by the PostgreSQL wire work in this same change set.
    public static Task<CheckReport> RunAsync(PostgresConnectionSpec spec, CheckOptions options, CancellationToken cancellationToken) =>
        throw new NotSupportedException("PostgreSQL check is not implemented yet");
}

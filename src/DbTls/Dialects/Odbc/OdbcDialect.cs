using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Dialects.Tds;
using DbTls.Reports;

namespace DbTls.Dialects.Odbc;

/// <summary>
/// Microsoft ODBC Driver 17/18 for SQL Server strings (<c>Driver={ODBC Driver 18 for SQL Server};Server=...</c>), checked
/// over TDS with the documented Driver 18 rules (<see cref="OdbcConnectionString"/>; not measured: the driver cannot be
/// installed here). FreeTDS's own ODBC driver (<c>Driver=FreeTDS</c>) is not this dialect.
/// </summary>
internal sealed partial class OdbcDialect : IConnectionDialect
{
    public string Name => OdbcConnectionString.DialectName;

    public DialectConfidence Recognise(ConnectionStringShape shape)
    {
        if (shape.FirstKey is not { } key || !key.Trim().Equals("Driver", StringComparison.OrdinalIgnoreCase))
        {
            return DialectConfidence.None;
        }

        try
        {
            var driver = OdbcAttributes.Parse(shape.Text).FirstOrDefault()?.Value;
            return driver is not null && DriverVersion(driver) is not null ? DialectConfidence.Scheme : DialectConfidence.None;
        }
        catch (DbTlsException)
        {
            return DialectConfidence.None;
        }
    }

    public string Redact(string connectionString) => RedactParsed(connectionString);

    public Task<CheckReport> CheckAsync(string connectionString, CheckEnvironment environment, CheckOptions options, CancellationToken cancellationToken) =>
        TdsDialectRun.RunAsync(this, connectionString, () => OdbcConnectionString.Parse(connectionString), environment, options, cancellationToken);

    /// <summary>17 or 18 for "ODBC Driver 17/18 for SQL Server" (braces optional), else null.</summary>
    internal static int? DriverVersion(string driver) =>
        driver.Trim().Trim('{', '}').ToLowerInvariant() switch
        {
            "odbc driver 18 for sql server" => 18,
            "odbc driver 17 for sql server" => 17,
            _ => null,
        };

    /// <summary>PWD (and any key named like a secret) masked where its value stands, by splitting the string the ODBC way.</summary>
    internal static string RedactParsed(string connectionString)
    {
        try
        {
            return Redaction.MaskRanges(connectionString, OdbcAttributes.Parse(connectionString)
                .Where(a => a.Key.Equals("PWD", StringComparison.OrdinalIgnoreCase) || Redaction.MayNameSecret(a.Key))
                .Select(a => (a.ValueStart, a.ValueEnd)));
        }
        catch (DbTlsException)
        {
            return Redaction.Unparsable(connectionString);
        }
    }
}

using DbTls.Diagnostics;
using DbTls.Dialects.FreeTds;
using DbTls.Dialects.Jdbc;
using DbTls.Dialects.Mongo;
using DbTls.Dialects.Npgsql;
using DbTls.Dialects.SqlClient;

namespace DbTls.Dialects;

/// <summary>
/// The catalogue's default remedies name libpq's options (sslrootcert, sslmode, ...). A finding that still
/// carries its catalogue default is re-worded here in the options of the dialect the user wrote, from that
/// dialect's own vocabulary (XRemedies in each dialect folder). A remedy the finding was given where it was
/// made (already specific to its situation) is kept.
/// </summary>
public static class DialectRemedies
{
    /// <param name="dialect">The report's target dialect: libpq, sqlclient, jdbc, freetds or mongodb.</param>
    public static Finding For(string? dialect, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (!FindingCatalog.All.Any(e => e.Code == finding.Code) || finding.Remedy != FindingCatalog.Get(finding.Code).Remedy)
        {
            return finding;
        }

        var remedy = dialect switch
        {
            "sqlclient" => SqlClientRemedies.For(finding.Code),
            "jdbc" => JdbcRemedies.For(finding.Code),
            "freetds" => FreeTdsRemedies.For(finding.Code),
            "mongodb" => MongoRemedies.For(finding.Code),
            "npgsql" => NpgsqlRemedies.For(finding.Code),
            _ => null,
        };
        return remedy is null ? finding : finding with { Remedy = remedy };
    }
}

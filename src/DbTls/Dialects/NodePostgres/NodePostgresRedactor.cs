using DbTls.Dialects.Libpq;

namespace DbTls.Dialects.NodePostgres;

/// <summary>
/// Masks the password in the user-info and the password and sslpassword query parameters of a node-postgres URI,
/// located by the URI's structure (scheme, last '@', '&amp;'-separated parameters), as libpq's URI redactor does.
/// </summary>
internal static class NodePostgresRedactor
{
    public static string Redact(string connectionString) => ConnectionStringRedactor.RedactUriBestEffort(connectionString);
}

using DbTls.Dialects.SqlClient;

namespace DbTls.Dialects.Npgsql;

/// <summary>
/// Masks Password (PSW, PWD) and SSL Password in an Npgsql string, found by splitting it with the ADO.NET grammar
/// Npgsql's builder shares with SqlClient, so SqlClient's structural redactor does the masking with Npgsql's keywords.
/// </summary>
internal static class NpgsqlRedactor
{
    public static string Redact(string connectionString) =>
        SqlClientRedactor.Redact(connectionString, IsSecret, key => NpgsqlKeywords.Canonical(key) is not null);

    private static bool IsSecret(string key) =>
        NpgsqlKeywords.Canonical(key) is { } canonical ? NpgsqlKeywords.IsSecret(canonical) : Redaction.MayNameSecret(key);
}

using DbTls.Dialects.SqlClient;

namespace DbTls.Dialects.Npgsql;

internal sealed partial class NpgsqlDialect : IStricterVerification
{
    public StricterAdvice Stricter(string? redactedConnectionString) => new(
        "SSL Mode=VerifyFull",
        "Fix the certificate (or the host name), then use SSL Mode=VerifyFull (with Root Certificate naming the CA when it is not in the system trust store).",
        VerifyFull(redactedConnectionString));

    /// <summary>Every SSL Mode value set to VerifyFull where it stands (Npgsql keeps the last), or one appended.</summary>
    private static string? VerifyFull(string? redacted) =>
        CorrectedString.TryRewrite(redacted, text =>
        {
            var modes = SqlClientConnectionStringParser.Parse(text)
                .Where(p => p.Key is "ssl mode" or "sslmode" && p.ValueStart >= 0)
                .Select(p => (p.ValueStart, p.ValueEnd, "VerifyFull"))
                .ToList();
            return CorrectedString.Edit(text, modes, modes.Count > 0 ? "" : (text.TrimEnd().EndsWith(';') ? "" : ";") + "SSL Mode=VerifyFull");
        });
}


namespace DbTls.Dialects.Jdbc;

internal sealed partial class JdbcDialect : IStricterVerification
{
    public StricterAdvice Stricter(string? redactedConnectionString) => new(
        "trustServerCertificate=false",
        "Fix the certificate (or the host name), then set trustServerCertificate=false (with trustStore naming the CA when it is not in Java's cacerts).",
        Verified(redactedConnectionString));

    /// <summary>trustServerCertificate set to false where it stands (names compared as the driver does, ignoring case), or appended.</summary>
    private static string? Verified(string? redacted) =>
        CorrectedString.TryRewrite(redacted, text =>
        {
            var properties = JdbcUrlParser.Parse(text);
            var edits = properties
                .Where(p => p.ValueStart >= 0 && p.Name.Equals(JdbcProperties.TrustServerCertificate, StringComparison.OrdinalIgnoreCase))
                .Select(p => (p.ValueStart, p.ValueEnd, "false"))
                .ToList();
            edits.AddRange(properties
                .Where(p => p.ValueStart >= 0 && p.Name.Equals(JdbcProperties.Encrypt, StringComparison.OrdinalIgnoreCase) && p.Value.Equals("false", StringComparison.OrdinalIgnoreCase))
                .Select(p => (p.ValueStart, p.ValueEnd, "true")));
            return CorrectedString.Edit(text, edits, edits.Count > 0 ? "" : (text.EndsWith(';') ? "" : ";") + "trustServerCertificate=false");
        });
}

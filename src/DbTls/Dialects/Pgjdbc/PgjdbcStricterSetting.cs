
namespace DbTls.Dialects.Pgjdbc;

internal sealed partial class PgjdbcDialect : IStricterVerification
{
    public StricterAdvice Stricter(string? redactedConnectionString) => new(
        "sslmode=verify-full",
        "Fix the certificate (or the host name), then use sslmode=verify-full without a non-validating sslfactory (with sslrootcert naming the CA when it is not ~/.postgresql/root.crt).",
        VerifyFull(redactedConnectionString));

    /// <summary>sslmode set to verify-full and sslfactory to pgjdbc's default (LibPQFactory) where they stand; sslmode appended when absent.</summary>
    private static string? VerifyFull(string? redacted) =>
        CorrectedString.TryRewrite(redacted, text =>
        {
            var url = PgjdbcUrl.Parse(text);
            var edits = url.Properties.Where(p => p.Name == PgjdbcProperties.SslMode).Select(p => (p.ValueStart, p.ValueEnd, "verify-full")).ToList();
            var append = edits.Count > 0 ? "" : (text.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "sslmode=verify-full";
            edits.AddRange(url.Properties.Where(p => p.Name == PgjdbcProperties.SslFactory).Select(p => (p.ValueStart, p.ValueEnd, "org.postgresql.ssl.LibPQFactory")));
            return CorrectedString.Edit(text, edits, append);
        });
}

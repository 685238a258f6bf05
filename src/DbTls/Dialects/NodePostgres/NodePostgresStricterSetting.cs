
namespace DbTls.Dialects.NodePostgres;

internal sealed partial class NodePostgresDialect : IStricterVerification
{
    public StricterAdvice Stricter(string? redactedConnectionString) => new(
        "sslmode=verify-full",
        "Fix the certificate (or the host name), then use sslmode=verify-full (with sslrootcert naming the CA) and no ssl.rejectUnauthorized=false in the client's options.",
        VerifyFull(redactedConnectionString));

    private static string? VerifyFull(string? redacted) =>
        CorrectedString.TryRewrite(redacted, text =>
        {
            _ = NodePostgresUri.Parse(text); // only a URI pg would read is rewritten
            return UriQueryEdit.Edit(text, ["ssl"], [("sslmode", "verify-full")]);
        });
}

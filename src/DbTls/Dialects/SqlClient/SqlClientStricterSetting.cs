
namespace DbTls.Dialects.SqlClient;

internal sealed partial class SqlClientDialect : IStricterVerification
{
    public StricterAdvice Stricter(string? redactedConnectionString) => new(
        "Encrypt=Strict (or Encrypt=True with TrustServerCertificate=False)",
        "Fix the certificate (or the host name; SqlClient trusts the system store), then remove TrustServerCertificate=True and use Encrypt=True or Strict.",
        Verified(redactedConnectionString));

    /// <summary>
    /// TrustServerCertificate set to False and an Encrypt that does not verify (False, Optional, No) set to True, each
    /// where it stands; the user's Strict or Mandatory is kept.
    /// </summary>
    private static string? Verified(string? redacted) =>
        CorrectedString.TryRewrite(redacted, text =>
        {
            var pairs = SqlClientConnectionStringParser.Parse(text);
            var edits = new List<(int, int, string)>();
            foreach (var pair in pairs.Where(p => p.ValueStart >= 0))
            {
                var keyword = SqlClientKeywords.Canonical(pair.Key);
                if (keyword == SqlClientKeywords.TrustServerCertificate)
                {
                    edits.Add((pair.ValueStart, pair.ValueEnd, "False"));
                }
                else if (keyword == SqlClientKeywords.Encrypt && pair.Value?.Trim().ToLowerInvariant() is "false" or "no" or "optional")
                {
                    edits.Add((pair.ValueStart, pair.ValueEnd, "True"));
                }
            }

            return CorrectedString.Edit(text, edits);
        });
}

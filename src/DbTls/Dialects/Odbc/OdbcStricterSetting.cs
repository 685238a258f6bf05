
namespace DbTls.Dialects.Odbc;

internal sealed partial class OdbcDialect : IStricterVerification
{
    public StricterAdvice Stricter(string? redactedConnectionString) => new(
        "TrustServerCertificate=no (with Encrypt=yes or strict)",
        "Fix the certificate (or the host name; the driver trusts the system store), then set TrustServerCertificate=no and Encrypt=yes or strict.",
        Verified(redactedConnectionString));

    /// <summary>TrustServerCertificate set to no and an Encrypt of no/optional set to yes, where they stand.</summary>
    private static string? Verified(string? redacted) =>
        CorrectedString.TryRewrite(redacted, text =>
        {
            var edits = new List<(int, int, string)>();
            foreach (var attribute in OdbcAttributes.Parse(text).Where(a => a.ValueStart >= 0))
            {
                if (attribute.Key.Equals("TrustServerCertificate", StringComparison.OrdinalIgnoreCase))
                {
                    edits.Add((attribute.ValueStart, attribute.ValueEnd, "no"));
                }
                else if (attribute.Key.Equals("Encrypt", StringComparison.OrdinalIgnoreCase) && attribute.Value.Trim().ToLowerInvariant() is "no" or "false" or "optional")
                {
                    edits.Add((attribute.ValueStart, attribute.ValueEnd, "yes"));
                }
            }

            return CorrectedString.Edit(text, edits);
        });
}

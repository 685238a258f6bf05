using DbTls.Diagnostics;

namespace DbTls.Dialects.Pgjdbc;

/// <summary>Masks password and sslpassword (and any property named like a secret) by splitting the URL as pgjdbc does.</summary>
internal static class PgjdbcRedactor
{
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        try
        {
            var parsed = PgjdbcUrl.Parse(url);
            return Redaction.MaskRanges(url, parsed.Properties.Where(p => PgjdbcProperties.IsSecret(p.Name)).Select(p => (p.ValueStart, p.ValueEnd)));
        }
        catch (DbTlsException)
        {
            return Redaction.Unparsable(url);
        }
    }
}

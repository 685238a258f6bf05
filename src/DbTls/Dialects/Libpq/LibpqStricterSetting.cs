namespace DbTls.Dialects.Libpq;

internal sealed partial class LibpqDialect : IStricterVerification
{
    public StricterAdvice Stricter(string? redactedConnectionString) => new(
        "sslmode=verify-full",
        "Fix the certificate (or the host name), then use sslmode=verify-full (with sslrootcert naming the CA when it is not ~/.postgresql/root.crt).",
        VerifyFull(redactedConnectionString));

    /// <summary>The redacted libpq string with sslmode=verify-full (the last sslmode's value replaced, or one added); null when it does not parse.</summary>
    internal static string? VerifyFull(string? redacted) =>
        CorrectedString.TryRewrite(redacted, text =>
        {
            var parsed = ConninfoUriParser.PrefixLength(text) > 0 ? ConninfoUriParser.Parse(text) : ConninfoKeyValueParser.Parse(text);
            const string mode = "verify-full";
            var last = parsed.Settings.LastOrDefault(s => s.Keyword == LibpqKeywords.SslMode && s.RawStart >= 0);
            if (last is not null)
            {
                return CorrectedString.Edit(text, [(last.RawStart, last.RawStart + last.RawLength, mode)]);
            }

            return parsed.IsUri
                ? $"{text}{(text.Contains('?', StringComparison.Ordinal) ? '&' : '?')}sslmode={mode}"
                : $"{text} sslmode={mode}";
        });
}

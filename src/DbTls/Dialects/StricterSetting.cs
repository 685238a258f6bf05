using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Tls.Verification;

namespace DbTls.Dialects;

/// <summary>
/// Words a <see cref="FindingCodes.CertWouldFailVerification"/> warning in the dialect the user wrote: which setting of
/// that driver verifies fully, and (libpq) the user's own connection string with it. The string is rewritten from the
/// report's already redacted text by parsing it, so no secret can reach the remedy.
/// </summary>
internal static class StricterSetting
{
    /// <param name="dialect">The report's target dialect.</param>
    /// <param name="redactedConnectionString">The connection string as the report shows it (secrets masked).</param>
    public static Finding For(string? dialect, string? redactedConnectionString, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (finding.Code != FindingCodes.CertWouldFailVerification
            || !finding.Message.StartsWith(StricterVerification.MessagePrefix, StringComparison.Ordinal))
        {
            return finding;
        }

        var reasons = finding.Message[StricterVerification.MessagePrefix.Length..];
        var (setting, remedy) = dialect switch
        {
            "libpq" or "npgsql" => ("sslmode=verify-full", LibpqRemedy(redactedConnectionString)),
            "sqlclient" => ("Encrypt=Strict (or Encrypt=True with TrustServerCertificate=False)",
                "Fix the certificate (or the host name), then remove TrustServerCertificate=True and use Encrypt=Strict (TrustServerCertificate=False)."),
            "jdbc" => ("trustServerCertificate=false",
                "Fix the certificate (or the host name), then set trustServerCertificate=false (with trustStore naming the CA when it is not in Java's cacerts)."),
            "freetds" => ("encryption = strict and a ca file",
                "Fix the certificate (or the host name), then set `ca file` to the CA certificate (and `check certificate hostname = yes`) so that FreeTDS verifies it."),
            "mongodb" => ("tls=true without tlsInsecure, tlsAllowInvalidCertificates or tlsAllowInvalidHostnames",
                "Fix the certificate (or the host name), then remove tlsInsecure, tlsAllowInvalidCertificates and tlsAllowInvalidHostnames (with tlsCAFile naming the CA)."),
            _ => ((string?)null, (string?)null),
        };
        return setting is null
            ? finding
            : finding with { Message = $"with {setting} this connection would fail: {reasons}", Remedy = remedy ?? finding.Remedy };
    }

    private static string LibpqRemedy(string? redacted)
    {
        const string fix = "Fix the certificate (or the host name), then use sslmode=verify-full (with sslrootcert naming the CA when it is not ~/.postgresql/root.crt)";
        return Corrected(redacted) is { } corrected ? $"{fix}: {corrected}" : $"{fix}.";
    }

    /// <summary>The redacted libpq string with sslmode=verify-full (the last sslmode replaced, or one added); null when it does not parse.</summary>
    internal static string? Corrected(string? redacted)
    {
        if (string.IsNullOrEmpty(redacted))
        {
            return null;
        }

        ParsedConnectionString parsed;
        try
        {
            parsed = ConninfoUriParser.PrefixLength(redacted) > 0 ? ConninfoUriParser.Parse(redacted) : ConninfoKeyValueParser.Parse(redacted);
        }
        catch (DbTlsException)
        {
            return null;
        }

        const string mode = "verify-full";
        var last = parsed.Settings.LastOrDefault(s => s.Keyword == LibpqKeywords.SslMode && s.RawStart >= 0);
        if (last is not null)
        {
            return string.Concat(redacted.AsSpan(0, last.RawStart), mode, redacted.AsSpan(last.RawStart + last.RawLength));
        }

        return parsed.IsUri
            ? $"{redacted}{(redacted.Contains('?', StringComparison.Ordinal) ? '&' : '?')}sslmode={mode}"
            : $"{redacted} sslmode={mode}";
    }
}

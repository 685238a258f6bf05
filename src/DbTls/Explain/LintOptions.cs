using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Policy;

namespace DbTls.Explain;

/// <summary>Lint rules about the options as written: deprecated ones, and ones another setting makes meaningless.</summary>
internal static class LintOptions
{
    private static readonly (string Dialect, string Keyword, string Why)[] DeprecatedOptions =
    [
        ("libpq", "requiressl", "requiressl is deprecated in favour of sslmode (requiressl=1 means sslmode=require, which does not verify the server)"),
        ("libpq", "sslcompression", "sslcompression is obsolete: PostgreSQL 14 and later servers never compress TLS, and compressed TLS is open to CRIME-style attacks"),
        ("mongodb", "ssl", "ssl is the old name of tls; write tls=true"),
        ("npgsql", "trust server certificate", "Trust Server Certificate is obsolete since Npgsql 8.0 and does nothing: SSL Mode alone decides whether the certificate is verified"),
    ];

    /// <summary>Options that only matter when the certificate is verified, per dialect (lower-cased as written).</summary>
    private static readonly (string Dialect, string Keyword)[] VerificationOptions =
    [
        ("sqlclient", "server certificate"),
        ("sqlclient", "host name in certificate"),
        ("jdbc", "truststore"),
        ("jdbc", "hostnameincertificate"),
        ("jdbc", "servercertificate"),
        ("mongodb", "tlscafile"),
        ("mongodb", "tlscrlfile"),
        ("mongodb", "tlsallowinvalidhostnames"),
        ("npgsql", "root certificate"),
        ("npgsql", "check certificate revocation"),
        ("pgjdbc", "sslrootcert"),
        ("pgjdbc", "sslhostnameverifier"),
        ("odbc", "hostnameincertificate"),
    ];

    /// <summary>Options that only matter when TLS is used at all.</summary>
    private static readonly (string Dialect, string Keyword)[] TlsOptions =
    [
        ("libpq", "sslrootcert"),
        ("libpq", "sslcert"),
        ("libpq", "sslkey"),
        ("libpq", "sslcrl"),
        ("libpq", "sslcrldir"),
        ("libpq", "ssl_min_protocol_version"),
        ("libpq", "sslnegotiation"),
        ("mongodb", "tlscafile"),
        ("mongodb", "tlscertificatekeyfile"),
        ("mongodb", "tlscrlfile"),
        ("mongodb", "tlsallowinvalidcertificates"),
        ("mongodb", "tlsallowinvalidhostnames"),
        ("mongodb", "tlsinsecure"),
        ("npgsql", "ssl certificate"),
        ("npgsql", "ssl key"),
        ("pgjdbc", "sslcert"),
        ("pgjdbc", "sslkey"),
        ("pgjdbc", "sslfactory"),
    ];

    public static IEnumerable<Finding> Deprecated(ConnectionDescription description) =>
        DeprecatedOptions
            .Where(o => o.Dialect == description.Dialect && description.WrittenKeywords.Contains(o.Keyword))
            .Select(o => LintRules.Create(FindingCodes.LintDeprecatedOption, o.Why));

    /// <summary>A keyword written twice: the driver keeps one value, and the string reads as if it said both.</summary>
    public static IEnumerable<Finding> Repeated(ConnectionDescription description) =>
        description.RepeatedKeywords.Select(k => LintRules.Create(
            FindingCodes.LintRepeatedOption, $"{k} is written more than once; {DriverNames.Of(description.Dialect)} uses one of the values ({description.PolicySummary} is what takes effect)"));

    public static IEnumerable<Finding> Ignored(ConnectionDescription description)
    {
        var policy = description.Tls;
        var driver = DriverNames.Of(description.Dialect);
        if (policy.Encryption == EncryptionMode.Disabled)
        {
            return Written(description, TlsOptions).Select(k => LintRules.Create(
                FindingCodes.LintIgnoredOption, $"{k} has no effect: {description.PolicySummary} switches TLS off"));
        }

        if (policy.Verification == VerificationLevel.None)
        {
            return Written(description, VerificationOptions).Select(k => LintRules.Create(
                FindingCodes.LintIgnoredOption, $"{k} has no effect: {driver} does not verify the certificate with {description.PolicySummary}"));
        }

        // The JDBC driver reads serverCertificate only under encrypt=strict; elsewhere it is silently dropped.
        if (description.Dialect == "jdbc" && policy.PinnedCertificatePath is null && description.WrittenKeywords.Contains("servercertificate"))
        {
            return [LintRules.Create(FindingCodes.LintIgnoredOption, "servercertificate has no effect: the JDBC driver pins the certificate only with encrypt=strict")];
        }

        return [];
    }

    private static IEnumerable<string> Written(ConnectionDescription description, (string Dialect, string Keyword)[] options) =>
        options.Where(o => o.Dialect == description.Dialect && description.WrittenKeywords.Contains(o.Keyword)).Select(o => o.Keyword);
}

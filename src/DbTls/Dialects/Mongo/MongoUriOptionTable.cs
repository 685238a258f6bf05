using System.Collections.Frozen;
using System.Globalization;

namespace DbTls.Dialects.Mongo;

/// <summary>
/// The URI options dbtls knows (the URI options spec's list plus the ones PyMongo adds), each with the
/// validation PyMongo applies. A value that fails validation is ignored with a warning, as the
/// connection-string spec requires ("Any invalid Values for a given key MUST be ignored").
/// </summary>
internal static class MongoUriOptionTable
{
    /// <summary>Checks a decoded value; returns null when it is valid, else the reason.</summary>
    internal delegate string? Validator(string value);

    internal sealed record OptionInfo(string Name, Validator Validate, bool IsSecret = false, bool IsList = false);

    public static readonly string[] AuthMechanisms =
        ["SCRAM-SHA-1", "SCRAM-SHA-256", "MONGODB-X509", "GSSAPI", "PLAIN", "MONGODB-AWS", "MONGODB-OIDC", "DEFAULT"];

    private static readonly FrozenDictionary<string, OptionInfo> Options = new OptionInfo[]
    {
        new("appname", AnyString),
        new("authMechanism", v => AuthMechanisms.Contains(v, StringComparer.Ordinal) ? null : $"'{v}' is not a supported authentication mechanism ({string.Join(", ", AuthMechanisms[..^1])})"),
        // Not echoed in warnings: the value can hold an AWS session token.
        new("authMechanismProperties", MechanismProperties, IsSecret: true),
        new("authSource", AnyString),
        new("compressors", AnyString),
        new("connectTimeoutMS", NonNegativeNumber),
        new("directConnection", Boolean),
        new("enableOverloadRetargeting", Boolean),
        new("fsync", Boolean),
        new("heartbeatFrequencyMS", v => Number(v, 500, "an integer >= 500")),
        new("journal", Boolean),
        new("loadBalanced", Boolean),
        new("localThresholdMS", NonNegativeNumber),
        new("maxAdaptiveRetries", NonNegativeInteger),
        new("maxConnecting", PositiveInteger),
        new("maxIdleTimeMS", NonNegativeNumber),
        new("maxPoolSize", NonNegativeInteger),
        new("maxStalenessSeconds", v => int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && (n == -1 || n >= 0) ? null : "it must be -1 or a non-negative integer"),
        new("minPoolSize", NonNegativeInteger),
        new("proxyHost", AnyString),
        new("proxyPort", v => Integer(v, 0, 65535, "an integer between 0 and 65535")),
        new("proxyUsername", AnyString),
        new("proxyPassword", AnyString, IsSecret: true),
        new("readConcernLevel", AnyString),
        new("readPreference", v => v is "primary" or "primaryPreferred" or "secondary" or "secondaryPreferred" or "nearest" ? null : $"'{v}' is not a read preference mode"),
        new("readPreferenceTags", v => MongoKeyValuePairs.TryParse(v) is null ? "it must be comma-separated TAG:VALUE pairs (or empty, for any server)" : null, IsList: true),
        new("replicaSet", AnyString),
        new("retryReads", Boolean),
        new("retryWrites", Boolean),
        new("serverMonitoringMode", v => v is "stream" or "poll" or "auto" ? null : "it must be stream, poll or auto"),
        new("serverSelectionTimeoutMS", NonNegativeNumber),
        new("serverSelectionTryOnce", Boolean),
        new("socketTimeoutMS", NonNegativeNumber),
        new("srvMaxHosts", NonNegativeInteger),
        new("srvServiceName", v => v.Length is > 0 and <= 62 ? null : "it must be a service name of 1 to 62 characters"),
        new("ssl", Boolean),
        new("timeoutMS", NonNegativeNumber),
        new("tls", Boolean),
        new("tlsAllowInvalidCertificates", Boolean),
        new("tlsAllowInvalidHostnames", Boolean),
        new("tlsCAFile", NonEmptyString),
        new("tlsCertificateKeyFile", NonEmptyString),
        new("tlsCertificateKeyFilePassword", AnyString, IsSecret: true),
        new("tlsCRLFile", NonEmptyString),
        new("tlsDisableCertificateRevocationCheck", Boolean),
        new("tlsDisableOCSPEndpointCheck", Boolean),
        new("tlsInsecure", Boolean),
        new("uuidRepresentation", v => v is "unspecified" or "standard" or "pythonLegacy" or "javaLegacy" or "csharpLegacy" ? null : $"'{v}' is not a UUID representation"),
        new("w", v => v.Length > 0 && (!char.IsAsciiDigit(v[0]) || int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _)) ? null : "it must be a non-negative integer or a tag name"),
        new("waitQueueMultiple", NonNegativeInteger),
        new("waitQueueTimeoutMS", NonNegativeNumber),
        new("wTimeoutMS", NonNegativeInteger),
        new("zlibCompressionLevel", v => Integer(v, -1, 9, "an integer between -1 and 9")),
    }.ToFrozenDictionary(o => o.Name.ToLowerInvariant(), StringComparer.Ordinal);

    public static OptionInfo? Find(string lowerName) => Options.GetValueOrDefault(lowerName);

    /// <summary>The known option a misspelt one was most likely meant to be (its canonical spelling).</summary>
    public static string? Suggest(string name) => KeySuggestion.For(name, Options.Values.Select(o => o.Name));

    /// <summary>Whether the option decides TLS (tls*, ssl*): a misspelling of one silently changes how the server is checked.</summary>
    public static bool IsTlsOption(string name) =>
        name.StartsWith("tls", StringComparison.OrdinalIgnoreCase) || name.StartsWith("ssl", StringComparison.OrdinalIgnoreCase);

    /// <summary>PyMongo accepts exactly "true" and "false" in a URI; the spec's legacy spellings (1, yes, t, ...) are invalid there and ignored.</summary>
    public static bool? ParseBoolean(string value) => value switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };

    private static string? Boolean(string v) => ParseBoolean(v) is null
        ? $"it must be 'true' or 'false'{(v is "1" or "0" or "yes" or "no" or "y" or "n" or "t" or "f" or "-1" or "True" or "False" or "TRUE" or "FALSE" ? " (PyMongo does not accept the legacy or capitalised spellings other drivers allow)" : string.Empty)}"
        : null;

    private static string? AnyString(string v) => null;

    private static string? NonEmptyString(string v) => v.Length == 0 ? "it must not be empty" : null;

    private static string? NonNegativeInteger(string v) => Integer(v, 0, int.MaxValue, "a non-negative integer");

    private static string? PositiveInteger(string v) => Integer(v, 1, int.MaxValue, "a positive integer");

    private static string? Integer(string v, int min, int max, string what) =>
        int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? null : $"it must be {what}";

    private static string? NonNegativeNumber(string v) => Number(v, 0, "a non-negative number of milliseconds");

    private static string? Number(string v, double min, string what) =>
        double.TryParse(v, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d) && d >= min && double.IsFinite(d) ? null : $"it must be {what}";

    /// <summary>
    /// The value stays percent-encoded (PyMongo keeps it raw, as values may be URLs); a comma separates pairs, so
    /// an escaped comma that decodes inside a value makes the list ambiguous and the option is ignored with a warning.
    /// </summary>
    private static string? MechanismProperties(string v)
    {
        if (MongoKeyValuePairs.TryParse(v) is not { } pairs || pairs.Count == 0)
        {
            return "it must be comma-separated KEY:VALUE pairs";
        }

        return pairs.Values.Any(value => MongoPercentEncoding.Decode(value, plusAsSpace: false).Contains(',', StringComparison.Ordinal))
            ? "a value holds an escaped comma, which cannot be told from the comma between pairs"
            : null;
    }
}

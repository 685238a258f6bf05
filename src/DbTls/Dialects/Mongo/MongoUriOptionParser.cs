using System.Collections.Immutable;
using DbTls.Diagnostics;
using static DbTls.Dialects.Mongo.MongoUriErrors;

namespace DbTls.Dialects.Mongo;

/// <summary>The "?key=value" part: separators, decoding, repeats, the conflicting TLS pairs, tls/ssl agreement and each value's validation (invalid values are ignored with a warning).</summary>
internal static class MongoUriOptionParser
{
    /// <summary>Pairs whose co-occurrence the URI options spec makes an error, whatever their values.</summary>
    private static readonly (string A, string B)[] ConflictingTlsOptions =
    [
        ("tlsInsecure", "tlsAllowInvalidCertificates"),
        ("tlsInsecure", "tlsAllowInvalidHostnames"),
        ("tlsInsecure", "tlsDisableOCSPEndpointCheck"),
        ("tlsInsecure", "tlsDisableCertificateRevocationCheck"),
        ("tlsAllowInvalidCertificates", "tlsDisableOCSPEndpointCheck"),
        ("tlsAllowInvalidCertificates", "tlsDisableCertificateRevocationCheck"),
        ("tlsDisableOCSPEndpointCheck", "tlsDisableCertificateRevocationCheck"),
    ];

    /// <summary>The URI's options in order, with the raw occurrences kept for the conflict rules.</summary>
    internal sealed class UriOptions
    {
        public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

        /// <summary>Every occurrence of every key (lower-cased), valid or not, for presence-based rules.</summary>
        public Dictionary<string, List<string>> Occurrences { get; } = new(StringComparer.Ordinal);
    }

    internal static UriOptions ParseOptions(string text, ImmutableArray<Finding>.Builder findings)
    {
        var result = new UriOptions();
        if (text.Length == 0)
        {
            return result;
        }

        var ordered = SplitPairs(text, result, findings);
        CheckAgreement(result.Occurrences);
        foreach (var (key, lower, value) in ordered)
        {
            Accept(key, lower, value, result.Values, findings);
        }

        return result;
    }

    /// <summary>The pairs in order, decoded, each occurrence recorded; a repeated single-valued key is warned about.</summary>
    private static List<(string Key, string Lower, string Value)> SplitPairs(string text, UriOptions result, ImmutableArray<Finding>.Builder findings)
    {
        var hasAmp = text.Contains('&', StringComparison.Ordinal);
        var hasSemi = text.Contains(';', StringComparison.Ordinal);
        if (hasAmp && hasSemi)
        {
            throw Invalid("the URI options mix '&' and ';' as separators");
        }

        var ordered = new List<(string Key, string Lower, string Value)>();
        foreach (var pair in text.Split(hasSemi ? ';' : '&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw Invalid($"URI option '{pair}' is not a key=value pair");
            }

            var key = pair[..eq];
            var lower = key.ToLowerInvariant();

            // authMechanismProperties stays raw: its values may hold URLs with their own escapes (PyMongo does the same).
            var value = lower == "authmechanismproperties" ? pair[(eq + 1)..] : MongoPercentEncoding.Decode(pair[(eq + 1)..], plusAsSpace: true);
            ordered.Add((key, lower, value));
            if (!result.Occurrences.TryGetValue(lower, out var list))
            {
                result.Occurrences[lower] = list = [];
            }
            else if (lower != "readpreferencetags" && !lower.StartsWith("proxy", StringComparison.Ordinal))
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ConfigWarning,
                    $"URI option '{key}' is given more than once; the last value is used.",
                    "Give each option once."));
            }

            list.Add(value);
        }

        return ordered;
    }

    /// <summary>Rules over presence, whatever the values: proxy options, the conflicting TLS pairs, tls/ssl agreement.</summary>
    private static void CheckAgreement(Dictionary<string, List<string>> occurrences)
    {
        MongoProxyOptions.Validate(occurrences);
        CheckTlsConflicts(occurrences.ToDictionary(kv => kv.Key, kv => kv.Value.Count > 0, StringComparer.Ordinal), "the URI");
        if (occurrences.TryGetValue("tls", out var tlsValues) | occurrences.TryGetValue("ssl", out var sslValues))
        {
            var all = (tlsValues ?? []).Concat(sslValues ?? []).Distinct(StringComparer.Ordinal).ToList();
            if (all.Count > 1)
            {
                throw Invalid("the URI gives conflicting values for tls/ssl (every tls and ssl option must have the same value)");
            }
        }
    }

    /// <summary>One option into <paramref name="values"/>, or a warning when it is unknown, empty or invalid (then ignored, as the driver does).</summary>
    private static void Accept(string key, string lower, string value, Dictionary<string, string> values, ImmutableArray<Finding>.Builder findings)
    {
        var info = MongoUriOptionTable.Find(lower);
        if (info is null)
        {
            findings.Add(Unsupported(key));
            return;
        }

        if (value.Length == 0 && info.Name is not ("authSource" or "readPreferenceTags"))
        {
            // The spec: an empty integer or boolean value means the key is ignored.
            findings.Add(FindingCatalog.Create(FindingCodes.ConfigWarning, $"URI option '{key}' has an empty value and is ignored."));
            values.Remove(lower);
            return;
        }

        if (info.Validate(value) is { } problem)
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ConfigWarning,
                info.IsSecret ? $"URI option '{key}' has an invalid value and is ignored: {problem}." : $"URI option '{key}={value}' is invalid and ignored: {problem}.",
                $"Correct the value of {info.Name}; the driver ignores the option, so its default applies."));
            values.Remove(lower);
            return;
        }

        values[lower] = info.IsList && values.TryGetValue(lower, out var previous) ? previous + "\n" + value : value;
    }

    private static Finding Unsupported(string key) =>
        MongoUriOptionTable.Suggest(key) is { } meant
            ? FindingCatalog.Create(FindingCodes.ConfigWarning,
                $"unsupported URI option '{key}' is ignored; did you mean '{meant}'?{(MongoUriOptionTable.IsTlsOption(meant) ? $" The TLS setting '{meant}' does not apply, so the connection is not protected as written." : "")}",
                $"Spell the option '{meant}' exactly; PyMongo ignores options it does not know.")
            : FindingCatalog.Create(FindingCodes.ConfigWarning,
                $"unsupported URI option '{key}' is ignored.",
                "Check the spelling against the MongoDB URI options; PyMongo ignores options it does not know.");

    internal static void CheckTlsConflicts(IReadOnlyDictionary<string, bool> present, string where)
    {
        foreach (var (a, b) in ConflictingTlsOptions)
        {
            if (present.GetValueOrDefault(a.ToLowerInvariant()) && present.GetValueOrDefault(b.ToLowerInvariant()))
            {
                throw Invalid($"{where} sets both {a} and {b}; the URI options specification forbids combining them, whatever their values",
                    a == "tlsInsecure"
                        ? $"Use tlsInsecure alone (it implies tlsAllowInvalidCertificates, tlsAllowInvalidHostnames and tlsDisableOCSPEndpointCheck) or drop it and set {b}."
                        : $"Remove one of {a} and {b}.");
            }
        }
    }
}

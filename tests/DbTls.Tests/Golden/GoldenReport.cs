using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DbTls.Tests.Golden;

/// <summary>A value the case itself created (a port, a temp directory) and the stable name it is shown as in a golden file.</summary>
internal readonly record struct Volatile(string Value, string Placeholder, bool IsNumber = false);

/// <summary>
/// Turns a JSON report into its golden form: the document is parsed, then the fields that differ from
/// run to run (certificate serials, validity dates and fingerprints, ports) are replaced by a
/// placeholder by property name, and values the case created (ports, temp paths) are replaced where
/// they occur inside a string field. Nothing is done to the rendered text itself, so a change in
/// any other field or in the shape of the document shows.
/// </summary>
internal static class GoldenReport
{
    /// <summary>Properties whose value is random or time-dependent by nature, whatever the case.</summary>
    private static readonly HashSet<string> MaskedProperties = new(StringComparer.Ordinal)
    {
        "serialNumber", // random per generated certificate
        "sha256",       // fingerprint of a freshly generated certificate
        "notBefore",    // certificates are issued relative to now
        "notAfter",
        "port",         // loopback servers listen on ephemeral ports
    };

    /// <summary>Golden files are read by people in diffs: no \u003C for every placeholder's angle brackets.</summary>
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Normalize(string json, IReadOnlyList<Volatile> volatiles)
    {
        var root = JsonNode.Parse(json) ?? throw new InvalidDataException("the report is JSON null");

        // Longer values first, so a path is replaced before any shorter value inside it.
        var ordered = volatiles.Concat(CertificateDates(root)).Where(v => v.Value.Length > 0).OrderByDescending(v => v.Value.Length).ToList();
        var normalized = Walk(root, null, ordered);
        return normalized!.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
    }

    private static JsonNode? Walk(JsonNode? node, string? propertyName, List<Volatile> volatiles)
    {
        if (propertyName is not null && MaskedProperties.Contains(propertyName) && node is JsonValue)
        {
            return JsonValue.Create($"<{propertyName}>");
        }

        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (name, value) in obj)
                {
                    copy[name] = Walk(value, name, volatiles);
                }

                return copy;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array)
                {
                    items.Add(Walk(item, null, volatiles));
                }

                return items;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return JsonValue.Create(Replace(value.GetValue<string>(), volatiles));
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>
    /// The validity dates of the certificates the report lists, in the words the validation details use
    /// (e.g. "the first to expire ... on 2027-12-04 14:07:33 UTC"): taken from the report's own
    /// <c>notBefore</c>/<c>notAfter</c> fields, so only those instants are masked inside text.
    /// </summary>
    private static IEnumerable<Volatile> CertificateDates(JsonNode root)
    {
        if (root["tls"]?["certificates"] is not JsonArray certificates)
        {
            yield break;
        }

        foreach (var certificate in certificates.OfType<JsonObject>())
        {
            foreach (var name in new[] { "notBefore", "notAfter" })
            {
                if (certificate[name] is JsonValue value && value.TryGetValue<DateTimeOffset>(out var instant))
                {
                    yield return new Volatile(instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), "<certificate-date>");
                }
            }
        }
    }

    /// <summary>Replaces each volatile value inside one string field; a number only where it stands alone (not inside a longer number).</summary>
    private static string Replace(string text, List<Volatile> volatiles)
    {
        foreach (var item in volatiles)
        {
            text = item.IsNumber ? ReplaceNumber(text, item.Value, item.Placeholder) : text.Replace(item.Value, item.Placeholder, StringComparison.Ordinal);
        }

        return text;
    }

    private static string ReplaceNumber(string text, string number, string placeholder)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        var start = 0;
        for (var at = text.IndexOf(number, StringComparison.Ordinal); at >= 0; at = text.IndexOf(number, at + number.Length, StringComparison.Ordinal))
        {
            var end = at + number.Length;
            var digitBefore = at > 0 && char.IsAsciiDigit(text[at - 1]);
            var digitAfter = end < text.Length && char.IsAsciiDigit(text[end]);
            if (!digitBefore && !digitAfter)
            {
                builder.Append(text, start, at - start).Append(placeholder);
                start = end;
            }
        }

        return builder.Append(text, start, text.Length - start).ToString();
    }

    /// <summary>The first line where two golden texts differ, with its neighbours, for a readable failure.</summary>
    public static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var left = i < e.Length ? e[i] : "<end of file>";
            var right = i < a.Length ? a[i] : "<end of file>";
            if (!string.Equals(left, right, StringComparison.Ordinal))
            {
                return $"line {i + 1}:\n  expected: {left}\n  actual:   {right}";
            }
        }

        return "no difference";
    }
}

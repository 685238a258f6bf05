using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Dialects;

/// <summary>
/// Writes a connection string with some settings changed, from the positions its own parser found: values are replaced
/// where they stand and missing settings appended, so everything else (order, quoting, masked secrets) stays as the user
/// wrote it. Never a search over text: the caller gives parsed spans.
/// </summary>
internal static class CorrectedString
{
    /// <summary>Runs a rewrite that parses the string; null when there is no string or it does not parse (the advice then stands alone).</summary>
    public static string? TryRewrite(string? redacted, Func<string, string> rewrite)
    {
        if (string.IsNullOrEmpty(redacted))
        {
            return null;
        }

        try
        {
            return rewrite(redacted);
        }
        catch (DbTlsException)
        {
            return null;
        }
    }

    /// <param name="text">The string the spans index into.</param>
    /// <param name="replacements">Value spans <c>[Start, End)</c> and what to write there; spans must not overlap.</param>
    /// <param name="append">Settings to add at the end, already in the dialect's syntax (including their separator).</param>
    public static string Edit(string text, IEnumerable<(int Start, int End, string Value)> replacements, string append = "")
    {
        var result = new StringBuilder(text.Length + append.Length);
        var position = 0;
        foreach (var (start, end, value) in replacements.OrderBy(r => r.Start))
        {
            if (start < position || end < start || end > text.Length)
            {
                throw new ArgumentException("replacement spans overlap or lie outside the string", nameof(replacements));
            }

            result.Append(text, position, start - position).Append(value);
            position = end;
        }

        return result.Append(text, position, text.Length - position).Append(append).ToString();
    }
}

/// <summary>
/// The query of a URI as <c>key=value</c> parameters separated by <c>&amp;</c> (MongoDB and node-postgres URIs): parsed
/// into parameters, some removed or replaced (by key, case-insensitively as those drivers compare option names), and
/// written back in their original form and order.
/// </summary>
internal static class UriQueryEdit
{
    /// <param name="uri">The URI.</param>
    /// <param name="remove">Parameter names to drop.</param>
    /// <param name="set">Parameters to have: an existing one keeps its place with the new value, a missing one is appended.</param>
    public static string Edit(string uri, IReadOnlyCollection<string> remove, IReadOnlyList<(string Key, string Value)> set)
    {
        var question = uri.IndexOf('?', StringComparison.Ordinal);
        var fragment = uri.IndexOf('#', StringComparison.Ordinal);
        var end = fragment < 0 ? uri.Length : fragment;
        var head = question < 0 || question > end ? uri[..end] : uri[..question];
        var query = question < 0 || question > end ? "" : uri[(question + 1)..end];
        var kept = new List<string>();
        var done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? parameter : parameter[..equals];
            if (remove.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var replacement = set.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));
            if (replacement.Key is not null)
            {
                if (done.Add(replacement.Key))
                {
                    kept.Add($"{key}={Uri.EscapeDataString(replacement.Value)}");
                }

                continue;
            }

            kept.Add(parameter);
        }

        kept.AddRange(set.Where(s => !done.Contains(s.Key)).Select(s => $"{s.Key}={Uri.EscapeDataString(s.Value)}"));
        return head + (kept.Count > 0 ? "?" + string.Join('&', kept) : "") + uri[end..];
    }
}

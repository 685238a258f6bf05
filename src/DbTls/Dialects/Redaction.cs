using System.Text;

namespace DbTls.Dialects;

/// <summary>The pieces every dialect's redactor shares: the mask, masking parsed value ranges, and strings that do not parse.</summary>
internal static class Redaction
{
    public const string Mask = "********";

    /// <summary>Shown instead of a string that cannot be split into its parts and may hold a secret.</summary>
    public const string NotShown = "(not shown: the connection string does not parse and may contain a secret)";

    /// <summary>The text with each [Start, End) range replaced by the mask; overlapping ranges are merged.</summary>
    public static string MaskRanges(string text, IEnumerable<(int Start, int End)> ranges)
    {
        var builder = new StringBuilder(text.Length);
        var copied = 0;
        foreach (var (start, end) in ranges.Where(r => r.Start >= 0 && r.End > r.Start).OrderBy(r => r.Start))
        {
            if (end <= copied)
            {
                continue;
            }

            if (start >= copied)
            {
                builder.Append(text, copied, start - copied).Append(Mask);
            }

            copied = Math.Min(end, text.Length);
        }

        return builder.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>
    /// A string that does not parse cannot be split reliably: it is shown only when no keyword in it could name a secret.
    /// </summary>
    public static string Unparsable(string text) =>
        MayNameSecret(text) ? NotShown : text;

    /// <summary>Whether a key (or any text) names something secret in one of the supported drivers.</summary>
    public static bool MayNameSecret(string text) =>
        text.Contains("password", StringComparison.OrdinalIgnoreCase)
        || text.Contains("passwd", StringComparison.OrdinalIgnoreCase)
        || text.Contains("pwd", StringComparison.OrdinalIgnoreCase)
        || text.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || text.Contains("token", StringComparison.OrdinalIgnoreCase)
        || text.Contains("_key", StringComparison.OrdinalIgnoreCase)
        || text.Contains("clientkey", StringComparison.OrdinalIgnoreCase);
}

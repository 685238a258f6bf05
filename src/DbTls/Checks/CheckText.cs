using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Checks;

/// <summary>Wording the checks share in their findings.</summary>
internal static class CheckText
{
    /// <summary>Said instead of an exception text that holds a secret of the connection.</summary>
    public const string Withheld = "(message withheld: it contains a secret of the connection)";

    /// <summary>A time limit as the findings state it, e.g. <c>2.5 s</c>.</summary>
    public static string Seconds(TimeSpan timeout) => DurationText.Seconds(timeout);

    /// <summary>
    /// Exception text, unless a secret of the connection occurs in it; then the whole text is withheld. Never
    /// a replacement inside the text: that mangles it (a password "x" would turn "Index" into "Inde********")
    /// and still tells the reader where the secret was.
    /// </summary>
    public static string Scrub(string message, params ReadOnlySpan<Secret?> secrets)
    {
        foreach (var secret in secrets)
        {
            var value = secret?.Reveal();
            if (!string.IsNullOrEmpty(value) && message.Contains(value, StringComparison.Ordinal))
            {
                return Withheld;
            }
        }

        return message;
    }
}

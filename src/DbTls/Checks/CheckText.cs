using System.Globalization;
using DbTls.Policy;

namespace DbTls.Checks;

/// <summary>Wording the checks share in their findings.</summary>
internal static class CheckText
{
    /// <summary>A time limit as the findings state it, e.g. <c>2.5 s</c>.</summary>
    public static string Seconds(TimeSpan timeout) =>
        timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    /// <summary>Belt and braces: no exception text may carry a secret of the connection, whatever produced it.</summary>
    public static string Scrub(string message, params ReadOnlySpan<Secret?> secrets)
    {
        foreach (var secret in secrets)
        {
            var value = secret?.Reveal();
            if (!string.IsNullOrEmpty(value))
            {
                message = message.Replace(value, "********", StringComparison.Ordinal);
            }
        }

        return message;
    }
}

using System.Text;

namespace DbTls.Cli.Rendering;

/// <summary>
/// Hex fingerprints as two lines of 16 colon-separated bytes (47 columns each): short enough for an
/// 80-column terminal, and broken only at a byte boundary so a copied line is never half a byte.
/// </summary>
internal static class Fingerprint
{
    public const int BytesPerLine = 16;

    public static string Format(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = new StringBuilder(hex.Length);
        foreach (var c in hex)
        {
            if (char.IsAsciiHexDigit(c))
            {
                digits.Append(char.ToUpperInvariant(c));
            }
        }

        if (digits.Length == 0 || digits.Length % 2 != 0)
        {
            // Not a hex string we understand: show it as it is rather than mangle it.
            return hex;
        }

        var lines = new StringBuilder();
        for (var b = 0; b < digits.Length / 2; b++)
        {
            if (b > 0)
            {
                lines.Append(b % BytesPerLine == 0 ? '\n' : ':');
            }

            lines.Append(digits[2 * b]).Append(digits[(2 * b) + 1]);
        }

        return lines.ToString();
    }
}

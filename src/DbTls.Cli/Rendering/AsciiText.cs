using System.Globalization;
using System.Text;

namespace DbTls.Cli.Rendering;

/// <summary>
/// Output for a locale that is not UTF-8: typographic marks become their ASCII look-alikes and any other
/// character outside ASCII (a certificate subject in another script) is written as <c>\u00FC</c>, so nothing is
/// lost and no byte of 0x80 or above reaches a terminal or file that would show it as garbage.
/// </summary>
internal static class AsciiText
{
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Ascii.IsValid(text))
        {
            return text;
        }

        var result = new StringBuilder(text.Length + 16);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsAscii)
            {
                result.Append((char)rune.Value);
                continue;
            }

            var replacement = rune.Value switch
            {
                '✓' => "+",
                '✗' => "x",
                '–' or '—' or '─' or '━' or '‐' or '‑' => "-",
                '…' => "...",
                '→' => "->",
                '‘' or '’' => "'",
                '“' or '”' => "\"",
                '•' or '·' => "*",
                '\u00A0' => " ",
                _ => null,
            };
            if (replacement is not null)
            {
                result.Append(replacement);
            }
            else
            {
                result.Append(rune.Value <= 0xFFFF
                    ? string.Create(CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}")
                    : string.Create(CultureInfo.InvariantCulture, $"\\U{rune.Value:X8}"));
            }
        }

        return result.ToString();
    }
}

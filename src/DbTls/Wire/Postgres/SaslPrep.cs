using System.Globalization;
using System.Text;

namespace DbTls.Wire.Postgres;

/// <summary>The password as SCRAM will use it, and whether NFKC could not be applied.</summary>
internal readonly record struct SaslPrepResult(string Value, bool NormalizationSkipped);

/// <summary>
/// SASLprep (RFC 4013) the way libpq applies it to SCRAM passwords (src/common/saslprep.c): pure
/// ASCII passes unchanged; otherwise non-ASCII spaces become U+0020, "mapped to nothing" characters
/// are dropped and the result is NFKC-normalised. When the result would contain a prohibited
/// character, libpq uses the password exactly as given, and so does this.
/// </summary>
/// <remarks>
/// dbtls runs with invariant globalization, where .NET has no normalisation data; then NFKC is
/// skipped and the result says so (a precomposed password such as "pässwörd" is unaffected; one
/// with compatibility or decomposed characters may then fail to log in). "Unassigned" is judged by
/// .NET's current Unicode tables rather than Unicode 3.2, and the bidirectional rule is not checked
/// (.NET exposes no bidi classes).
/// </remarks>
internal static class SaslPrep
{
    /// <summary>Whether this runtime can NFKC-normalise non-ASCII text (false under invariant globalization).</summary>
    public static bool CanNormalize { get; } = ProbeNormalization();

    public static SaslPrepResult Normalize(string password)
    {
        if (password.All(char.IsAscii))
        {
            return new SaslPrepResult(password, false);
        }

        var mapped = new StringBuilder(password.Length);
        foreach (var rune in password.EnumerateRunes())
        {
            var code = rune.Value;
            if (IsNonAsciiSpace(code))
            {
                mapped.Append(' ');
            }
            else if (!IsMappedToNothing(code))
            {
                mapped.Append(rune.ToString());
            }
        }

        var normalized = mapped.ToString();
        var skipped = !CanNormalize;
        if (CanNormalize)
        {
            normalized = normalized.Normalize(NormalizationForm.FormKC);
        }

        foreach (var rune in normalized.EnumerateRunes())
        {
            if (IsProhibited(rune))
            {
                return new SaslPrepResult(password, false);
            }
        }

        return new SaslPrepResult(normalized, skipped);
    }

    private static bool ProbeNormalization()
    {
        try
        {
            return "\u2168".Normalize(NormalizationForm.FormKC) == "IX";
        }
        catch (Exception ex) when (ex is PlatformNotSupportedException or ArgumentException)
        {
            return false;
        }
    }

    private static bool IsNonAsciiSpace(int c) =>
        c is 0x00A0 or 0x1680 or (>= 0x2000 and <= 0x200B) or 0x202F or 0x205F or 0x3000;

    private static bool IsMappedToNothing(int c) =>
        c is 0x00AD or 0x034F or 0x1806 or (>= 0x180B and <= 0x180D) or (>= 0x200B and <= 0x200D) or 0x2060
            or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF;

    private static bool IsProhibited(Rune rune)
    {
        var c = rune.Value;
        return c is < 0x20 or 0x7F // C.2.1
            or (>= 0x80 and <= 0x9F) or 0x06DD or 0x070F or 0x180E or 0x200C or 0x200D or 0x2028 or 0x2029
            or (>= 0x2060 and <= 0x2063) or (>= 0x206A and <= 0x206F) or 0xFEFF or (>= 0xFFF9 and <= 0xFFFC)
            or (>= 0x1D173 and <= 0x1D17A) // C.2.2
            or (>= 0xE000 and <= 0xF8FF) or (>= 0xF0000 and <= 0xFFFFD) or (>= 0x100000 and <= 0x10FFFD) // C.3
            or (>= 0xFDD0 and <= 0xFDEF) // C.4 (with the plane ends below)
            or 0xFFFD // C.6
            or (>= 0x2FF0 and <= 0x2FFB) // C.7
            or 0x0340 or 0x0341 or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) // C.8
            or 0xE0001 or (>= 0xE0020 and <= 0xE007F) // C.9
            || (c & 0xFFFE) == 0xFFFE
            || Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherNotAssigned; // A.1, approximately
    }
}

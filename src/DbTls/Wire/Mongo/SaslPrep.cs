using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Wire.Mongo;

/// <summary>
/// SASLprep (RFC 4013) for SCRAM-SHA-256 passwords: map non-ASCII spaces to a space and remove the
/// "commonly mapped to nothing" characters, normalise with NFKC, and refuse prohibited characters.
/// ASCII input is handled completely. dbtls runs with invariant globalization, where .NET has no NFKC
/// data; when the runtime cannot normalise, non-ASCII text is passed through unnormalised and the
/// result says so, so the caller can tell the user why a correct password might still fail. The
/// bidirectional-text check (RFC 3454 section 6) is not applied: .NET exposes no bidi classes.
/// </summary>
internal static class SaslPrep
{
    public sealed record Result(string Value, bool NormalizationSkipped);

    private static readonly bool CanNormalize = ProbeNormalization();

    public static Result Prepare(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var mapped = new StringBuilder(input.Length);
        var nonAscii = false;
        for (var i = 0; i < input.Length; i++)
        {
            int cp;
            if (char.IsHighSurrogate(input[i]) && i + 1 < input.Length && char.IsLowSurrogate(input[i + 1]))
            {
                cp = char.ConvertToUtf32(input[i], input[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(input[i]))
            {
                throw Prohibited("an unpaired surrogate");
            }
            else
            {
                cp = input[i];
            }

            if (IsNonAsciiSpace(cp))
            {
                mapped.Append(' ');
                continue;
            }

            if (IsMappedToNothing(cp))
            {
                continue;
            }

            nonAscii |= cp > 0x7F;
            mapped.Append(char.ConvertFromUtf32(cp));
        }

        var value = mapped.ToString();
        var skipped = false;
        if (nonAscii)
        {
            if (CanNormalize)
            {
                value = value.Normalize(NormalizationForm.FormKC);
            }
            else
            {
                skipped = true;
            }
        }

        for (var i = 0; i < value.Length; i++)
        {
            var cp = char.IsHighSurrogate(value[i]) && i + 1 < value.Length ? char.ConvertToUtf32(value[i], value[++i]) : value[i];
            if (ProhibitedReason(cp) is { } reason)
            {
                throw Prohibited(reason);
            }
        }

        return new Result(value, skipped);
    }

    private static DbTlsException Prohibited(string what) =>
        new(FindingCodes.ConfigInvalid, $"the password contains {what}, which SASLprep (RFC 4013) prohibits, so SCRAM-SHA-256 cannot use it",
            "Change the password to one without control, private-use or non-character code points.");

    private static bool ProbeNormalization()
    {
        try
        {
            return "\u2168".Normalize(NormalizationForm.FormKC) == "IX";
        }
        catch (PlatformNotSupportedException)
        {
            return false;
        }
    }

    // RFC 3454 table C.1.2.
    private static bool IsNonAsciiSpace(int cp) =>
        cp is 0x00A0 or 0x1680 or (>= 0x2000 and <= 0x200B) or 0x202F or 0x205F or 0x3000;

    // RFC 3454 table B.1.
    private static bool IsMappedToNothing(int cp) =>
        cp is 0x00AD or 0x034F or 0x1806 or (>= 0x180B and <= 0x180D) or (>= 0x200B and <= 0x200D) or 0x2060
            or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF;

    // RFC 3454 tables C.2.1 to C.9, as RFC 4013 section 2.3 lists them.
    private static string? ProhibitedReason(int cp) => cp switch
    {
        <= 0x1F or 0x7F => "an ASCII control character",
        (>= 0x80 and <= 0x9F) or 0x06DD or 0x070F or 0x180E or 0x200C or 0x200D or 0x2028 or 0x2029
            or (>= 0x2060 and <= 0x2063) or (>= 0x206A and <= 0x206F) or 0xFEFF or (>= 0xFFF9 and <= 0xFFFC)
            or (>= 0x1D173 and <= 0x1D17A) => "a control character",
        (>= 0xE000 and <= 0xF8FF) or (>= 0xF0000 and <= 0xFFFFD) or (>= 0x100000 and <= 0x10FFFD) => "a private-use character",
        (>= 0xFDD0 and <= 0xFDEF) => "a non-character code point",
        _ when (cp & 0xFFFE) == 0xFFFE => "a non-character code point",
        0xFFFD => "a replacement character",
        (>= 0x2FF0 and <= 0x2FFB) => "an ideographic description character",
        0x0340 or 0x0341 or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) => "a display or directional control character",
        0xE0001 or (>= 0xE0020 and <= 0xE007F) => "a tagging character",
        _ => null,
    };
}

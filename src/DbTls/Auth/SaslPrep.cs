using System.Text;

namespace DbTls.Auth;

/// <summary>Why SASLprep refused a string (never the string itself: it is a password).</summary>
internal enum SaslPrepFailure
{
    None,

    /// <summary>A character from RFC 3454 tables C.2.1–C.9 (controls, private use, non-characters, …).</summary>
    Prohibited,

    /// <summary>A code point unassigned in Unicode 3.2 (table A.1); stored strings may not hold one.</summary>
    Unassigned,

    /// <summary>Right-to-left text broke RFC 3454 section 6 (mixed with left-to-right, or not at both ends).</summary>
    Bidi,

    /// <summary>Nothing left after mapping; libpq does not accept an empty prepared password.</summary>
    Empty,

    /// <summary>The UTF-16 text holds a lone surrogate, so it has no UTF-8 form (libpq: invalid UTF-8).</summary>
    InvalidText,
}

/// <summary>
/// How a driver applies SASLprep; the two differ, and each caller must reproduce its own driver.
/// </summary>
/// <param name="AsciiPassesUnchanged">Pure ASCII input is returned as is, control characters included (libpq).</param>
/// <param name="CheckBeforeNormalization">Prohibited, unassigned and bidi checks look at the mapped text before
/// NFKC instead of the normalised output (libpq's pg_saslprep checks the mapped input; RFC 3454 says output).</param>
/// <param name="EmptyIsFailure">An empty result after mapping is a failure (libpq).</param>
/// <param name="NothingBeforeSpace">U+200B, in both C.1.2 and B.1, is dropped (PyMongo filters B.1 first) rather
/// than turned into a space (libpq tests C.1.2 first).</param>
internal readonly record struct SaslPrepRules(bool AsciiPassesUnchanged, bool CheckBeforeNormalization, bool EmptyIsFailure, bool NothingBeforeSpace)
{
    /// <summary>PostgreSQL's src/common/saslprep.c as libpq uses it for SCRAM passwords.</summary>
    public static SaslPrepRules Libpq => new(true, true, true, false);

    /// <summary>RFC 4013 for stored strings, as the MongoDB drivers apply it (measured against PyMongo's saslprep).</summary>
    public static SaslPrepRules Rfc4013 => new(false, false, false, true);
}

/// <summary>The prepared string, or why there is none; and whether NFKC had to be skipped.</summary>
internal readonly record struct SaslPrepResult(string? Value, SaslPrepFailure Failure, bool NormalizationSkipped)
{
    public bool Succeeded => Failure == SaslPrepFailure.None;

    /// <summary>Words for the failure, safe to show: they name a character class, never a character.</summary>
    public string Reason => Failure switch
    {
        SaslPrepFailure.Prohibited => "a character SASLprep (RFC 4013) prohibits (a control, private-use, non-character or tagging code point)",
        SaslPrepFailure.Unassigned => "a code point unassigned in Unicode 3.2, which SASLprep prohibits in stored strings",
        SaslPrepFailure.Bidi => "right-to-left text that breaks the SASLprep bidirectional rule (RFC 3454 section 6)",
        SaslPrepFailure.Empty => "nothing but characters SASLprep maps to nothing",
        SaslPrepFailure.InvalidText => "an unpaired surrogate, which has no UTF-8 form",
        _ => "nothing SASLprep refuses",
    };
}

/// <summary>
/// The one SASLprep (RFC 4013 over RFC 3454): map non-ASCII spaces (C.1.2) to U+0020 and drop B.1, apply
/// NFKC, refuse C.1.2–C.9 and A.1, and check bidirectional text against D.1/D.2. The tables are Unicode 3.2
/// as the RFC fixes them (<see cref="StringPrepTables"/>); NFKC comes from <see cref="UnicodeNormalization"/>,
/// which reaches the system ICU when the runtime has no normalisation data (the shipped binary).
/// </summary>
/// <remarks>
/// The two copies this replaces differed: the PostgreSQL one refused unassigned code points by today's Unicode
/// and passed pure ASCII through; the MongoDB one ignored unassigned code points and refused ASCII controls.
/// Both are right for their driver once stated as <see cref="SaslPrepRules"/>: libpq passes ASCII through and
/// refuses A.1 (saslprep.c), pymongo refuses ASCII controls and A.1 (saslprep(prohibit_unassigned_code_points=True)).
/// What a failure means is the caller's choice: libpq then uses the raw password, MongoDB drivers refuse to log in.
/// </remarks>
internal static class SaslPrep
{
    public static SaslPrepResult Prepare(string input, SaslPrepRules rules)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (rules.AsciiPassesUnchanged && Ascii.IsValid(input))
        {
            return new SaslPrepResult(input, SaslPrepFailure.None, false);
        }

        if (!TryMap(input, rules.NothingBeforeSpace, out var mapped))
        {
            return new SaslPrepResult(null, SaslPrepFailure.InvalidText, false);
        }

        if (rules.EmptyIsFailure && mapped.Length == 0)
        {
            return new SaslPrepResult(null, SaslPrepFailure.Empty, false);
        }

        var normalizedOk = UnicodeNormalization.TryNormalizeNfkc(mapped, out var normalized);
        var checkedText = rules.CheckBeforeNormalization ? mapped : normalized;
        var failure = Check(checkedText);
        return failure == SaslPrepFailure.None
            ? new SaslPrepResult(normalized, SaslPrepFailure.None, !normalizedOk)
            : new SaslPrepResult(null, failure, false);
    }

    /// <summary>Step 1 (RFC 4013 section 2.1): C.1.2 to U+0020, B.1 to nothing. False on a lone surrogate.</summary>
    private static bool TryMap(string input, bool nothingBeforeSpace, out string mapped)
    {
        var builder = new StringBuilder(input.Length);
        var index = 0;
        while (index < input.Length)
        {
            if (Rune.DecodeFromUtf16(input.AsSpan(index), out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                mapped = string.Empty;
                return false;
            }

            index += used;
            if (nothingBeforeSpace && IsMappedToNothing(rune.Value))
            {
                continue;
            }

            if (IsNonAsciiSpace(rune.Value))
            {
                builder.Append(' ');
            }
            else if (!IsMappedToNothing(rune.Value))
            {
                builder.Append(rune.ToString());
            }
        }

        mapped = builder.ToString();
        return true;
    }

    /// <summary>Steps 3 and 4: prohibited output, unassigned code points, bidirectional text.</summary>
    private static SaslPrepFailure Check(string text)
    {
        var hasRandAL = false;
        var hasL = false;
        var first = 0;
        var last = 0;
        var count = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var code = rune.Value;
            if (IsProhibited(code))
            {
                return SaslPrepFailure.Prohibited;
            }

            if (InTable(code, StringPrepTables.A1Unassigned))
            {
                return SaslPrepFailure.Unassigned;
            }

            hasRandAL |= InTable(code, StringPrepTables.D1RandAL);
            hasL |= InTable(code, StringPrepTables.D2L);
            first = count++ == 0 ? code : first;
            last = code;
        }

        var bidiBroken = hasRandAL
            && (hasL || !InTable(first, StringPrepTables.D1RandAL) || !InTable(last, StringPrepTables.D1RandAL));
        return bidiBroken ? SaslPrepFailure.Bidi : SaslPrepFailure.None;
    }

    // RFC 3454 table C.1.2.
    private static bool IsNonAsciiSpace(int c) =>
        c is 0x00A0 or 0x1680 or (>= 0x2000 and <= 0x200B) or 0x202F or 0x205F or 0x3000;

    // RFC 3454 table B.1.
    private static bool IsMappedToNothing(int c) =>
        c is 0x00AD or 0x034F or 0x1806 or (>= 0x180B and <= 0x180D) or (>= 0x200B and <= 0x200D) or 0x2060
            or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF;

    // RFC 4013 section 2.3: tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5 (cannot occur in runes), C.6, C.7, C.8, C.9.
    private static bool IsProhibited(int c) =>
        IsNonAsciiSpace(c)
        || c is < 0x20 or 0x7F // C.2.1
            or (>= 0x80 and <= 0x9F) or 0x06DD or 0x070F or 0x180E or 0x200C or 0x200D or 0x2028 or 0x2029
            or (>= 0x2060 and <= 0x2063) or (>= 0x206A and <= 0x206F) or 0xFEFF or (>= 0xFFF9 and <= 0xFFFC)
            or (>= 0x1D173 and <= 0x1D17A) // C.2.2
            or (>= 0xE000 and <= 0xF8FF) or (>= 0xF0000 and <= 0xFFFFD) or (>= 0x100000 and <= 0x10FFFD) // C.3
            or (>= 0xFDD0 and <= 0xFDEF) // C.4, with the plane ends below
            or (>= 0xFFF9 and <= 0xFFFD) // C.6
            or (>= 0x2FF0 and <= 0x2FFB) // C.7
            or 0x0340 or 0x0341 or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x206A and <= 0x206F) // C.8
            or 0xE0001 or (>= 0xE0020 and <= 0xE007F) // C.9
        || (c & 0xFFFE) == 0xFFFE;

    /// <summary>Binary search over sorted inclusive [first, last] pairs.</summary>
    private static bool InTable(int code, ReadOnlySpan<int> ranges)
    {
        var low = 0;
        var high = (ranges.Length / 2) - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (code < ranges[2 * middle])
            {
                high = middle - 1;
            }
            else if (code > ranges[(2 * middle) + 1])
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }
}

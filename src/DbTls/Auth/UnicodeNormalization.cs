using System.Text;

namespace DbTls.Auth;

/// <summary>
/// NFKC for SASLprep, also in the shipped binary. With InvariantGlobalization=true .NET carries no
/// normalisation data and <c>string.Normalize(FormKC)</c> returns non-ASCII text unchanged without any error
/// (measured: "\u2168" stays "\u2168"), so a password such as "Ⅸ" would give a SCRAM proof the server rejects.
/// When that is detected the system ICU is used directly (<see cref="IcuNormalizer"/>), as PostgreSQL and the
/// MongoDB drivers normalise with full Unicode data. Only if neither exists is the text left as it is, and the
/// caller reports that (NormalizationSkipped).
/// </summary>
internal static class UnicodeNormalization
{
    private static readonly Lazy<Func<string, string?>?> Normalizer = new(ChooseNormalizer);

    /// <summary>Where NFKC comes from in this process, for the login detail: ".NET", "ICU 72" or none.</summary>
    public static string? Source { get; private set; }

    /// <summary>True when NFKC can be applied to non-ASCII text in this process.</summary>
    public static bool Available => Normalizer.Value is not null;

    /// <summary>
    /// NFKC of <paramref name="text"/>. False (and the text unchanged) when the text needs normalisation data
    /// and none is available; ASCII needs none (NFKC leaves it unchanged).
    /// </summary>
    public static bool TryNormalizeNfkc(string text, out string normalized)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Ascii.IsValid(text))
        {
            normalized = text;
            return true;
        }

        if (Normalizer.Value?.Invoke(text) is { } result)
        {
            normalized = result;
            return true;
        }

        normalized = text;
        return false;
    }

    /// <summary>.NET's own normaliser works when it really maps a compatibility character.</summary>
    internal static bool ManagedNormalizationWorks()
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

    private static Func<string, string?>? ChooseNormalizer()
    {
        if (ManagedNormalizationWorks())
        {
            Source = ".NET";
            return static text =>
            {
                try
                {
                    return text.Normalize(NormalizationForm.FormKC);
                }
                catch (ArgumentException)
                {
                    return null; // a lone surrogate: not text NFKC is defined on
                }
            };
        }

        if (IcuNormalizer.TryLoad() is { } icu)
        {
            Source = $"ICU {icu.Version}";
            return icu.NormalizeNfkc;
        }

        return null;
    }
}

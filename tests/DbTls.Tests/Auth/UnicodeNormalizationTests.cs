using System.Text;
using DbTls.Auth;

namespace DbTls.Tests.Auth;

/// <summary>
/// The ICU path the shipped (invariant-globalization) binary uses must normalise exactly as .NET does with ICU,
/// which is what this test host runs with.
/// </summary>
public sealed class UnicodeNormalizationTests
{
    public static TheoryData<string> Samples =>
    [
        "\u2168", "\uFB01", "\u00AA", "e\u0301", "\u00BD", "\u3392", "\uFDFA", "\u1E9B\u0323", "\uFF21\uFF22",
        "\U0001D400", "\u2460\u2461", "\u0390", "\u1100\u1161\u11A8", "\uAC00", "p\u00E4ssw\u00F6rd", "\u212B",
        "\u0340\u0341", "\u05D0\u05B7", string.Concat(Enumerable.Repeat("\uFDFA", 40)), "plain ascii",
    ];

    [Fact]
    public void This_host_has_net_normalisation_so_the_comparison_means_something() =>
        Assert.True(UnicodeNormalization.ManagedNormalizationWorks());

    [Fact]
    public void The_system_icu_is_found()
    {
        var icu = IcuNormalizer.TryLoad();
        Assert.NotNull(icu);
        Assert.InRange(icu.Version, 50, 90);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Icu_path_equals_dotnet_nfkc(string text)
    {
        var icu = IcuNormalizer.TryLoad()!;
        Assert.Equal(text.Normalize(NormalizationForm.FormKC), icu.NormalizeNfkc(text));
    }

    [Fact]
    public void Icu_path_leaves_a_lone_surrogate_alone_instead_of_failing()
    {
        // SaslPrep refuses such text before normalising; the ICU call itself must still be safe with it.
        var text = "a" + (char)0xD800 + "\u2168";
        Assert.Equal("a" + (char)0xD800 + "IX", IcuNormalizer.TryLoad()!.NormalizeNfkc(text));
    }

    [Fact]
    public void Ascii_needs_no_normalisation_data()
    {
        Assert.True(UnicodeNormalization.TryNormalizeNfkc("plain", out var normalized));
        Assert.Equal("plain", normalized);
    }
}

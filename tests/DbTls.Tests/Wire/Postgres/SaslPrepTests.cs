using DbTls.Wire.Postgres;

namespace DbTls.Tests.Wire.Postgres;

public sealed class SaslPrepTests
{
    [Theory]
    [InlineData("pencil", "pencil")]
    [InlineData("with space and \t tab", "with space and \t tab")] // pure ASCII passes untouched, as in libpq
    [InlineData("a\u00A0b\u3000c", "a b c")] // non-ASCII spaces → U+0020
    [InlineData("soft\u00ADhyphen\u200Bé", "softhyphen é")] // U+00AD mapped to nothing; U+200B is a space in libpq's table
    [InlineData("p\u00E4ssw\u00F6rd", "p\u00E4ssw\u00F6rd")] // precomposed text is already NFKC
    public void Maps_like_libpq(string input, string expected)
    {
        Assert.Equal(expected, SaslPrep.Normalize(input).Value);
    }

    [Theory]
    [InlineData("\u2168", "IX")] // ROMAN NUMERAL NINE
    [InlineData("\uFB01", "fi")] // ligature
    [InlineData("e\u0301", "\u00E9")] // composition
    public void Applies_nfkc_when_the_runtime_can_and_says_so_when_it_cannot(string input, string nfkc)
    {
        var result = SaslPrep.Normalize(input);
        if (SaslPrep.CanNormalize)
        {
            Assert.Equal(nfkc, result.Value);
            Assert.False(result.NormalizationSkipped);
        }
        else
        {
            // Invariant globalization (dbtls' default build): no NFKC data; the caller is told.
            Assert.Equal(input, result.Value);
            Assert.True(result.NormalizationSkipped);
        }
    }

    [Fact]
    public void Ascii_is_never_marked_as_skipped()
    {
        Assert.False(SaslPrep.Normalize("plain-ascii").NormalizationSkipped);
    }

    [Theory]
    [InlineData("ab\u0007c\u00E9")] // control character with non-ASCII: prohibited
    [InlineData("\uE000private\u00E9")] // private use
    public void Prohibited_output_falls_back_to_the_raw_password(string input)
    {
        Assert.Equal(input, SaslPrep.Normalize(input).Value);
    }
}

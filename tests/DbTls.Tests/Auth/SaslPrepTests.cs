using DbTls.Auth;

namespace DbTls.Tests.Auth;

public sealed class SaslPrepTests
{
    // RFC 4013 section 3, the examples that succeed.
    [Theory]
    [InlineData("I\u00ADX", "IX")] // SOFT HYPHEN mapped to nothing
    [InlineData("user", "user")]
    [InlineData("USER", "USER")]
    [InlineData("\u00AA", "a")] // NFKC
    [InlineData("\u2168", "IX")] // NFKC
    public void Rfc_4013_examples_are_prepared_as_the_rfc_says(string input, string expected)
    {
        foreach (var rules in new[] { SaslPrepRules.Rfc4013, SaslPrepRules.Libpq })
        {
            var result = SaslPrep.Prepare(input, rules);
            Assert.Equal(SaslPrepFailure.None, result.Failure);
            Assert.Equal(expected, result.Value);
            Assert.False(result.NormalizationSkipped);
        }
    }

    [Fact]
    public void Rfc_4013_example_with_a_control_character_is_refused() =>
        Assert.Equal(SaslPrepFailure.Prohibited, SaslPrep.Prepare("\u0007", SaslPrepRules.Rfc4013).Failure);

    [Fact]
    public void Rfc_4013_example_with_right_to_left_text_not_ending_right_to_left_is_refused()
    {
        Assert.Equal(SaslPrepFailure.Bidi, SaslPrep.Prepare("\u0627\u0031", SaslPrepRules.Rfc4013).Failure);
        Assert.Equal(SaslPrepFailure.Bidi, SaslPrep.Prepare("\u0627\u0031", SaslPrepRules.Libpq).Failure);
    }

    [Theory]
    [InlineData("\u0627\u0031\u0628")] // right-to-left at both ends, a European digit between: allowed
    [InlineData("\u05D0\u05D1")]
    public void Right_to_left_text_that_keeps_the_bidi_rule_is_accepted(string input) =>
        Assert.Equal(input, SaslPrep.Prepare(input, SaslPrepRules.Rfc4013).Value);

    [Fact]
    public void Right_to_left_mixed_with_a_left_to_right_letter_is_refused() =>
        Assert.Equal(SaslPrepFailure.Bidi, SaslPrep.Prepare("\u05D0a\u05D0", SaslPrepRules.Rfc4013).Failure);

    [Theory]
    [InlineData("a\u00A0b\u3000c", "a b c")] // C.1.2 spaces become U+0020
    [InlineData("soft\u00ADhyphen\u2003\u00E9", "softhyphen \u00E9")] // U+00AD to nothing, U+2003 EM SPACE to a space
    [InlineData("e\u0301", "\u00E9")] // composition
    [InlineData("\uFB01x", "fix")] // ligature
    public void Maps_then_normalises(string input, string expected) =>
        Assert.Equal(expected, SaslPrep.Prepare(input, SaslPrepRules.Libpq).Value);

    // The differences between the two copies this replaced, each decided by the driver's own source.
    [Fact]
    public void Libpq_passes_pure_ascii_through_even_with_controls_but_rfc_4013_refuses_them()
    {
        Assert.Equal("a\u0007b", SaslPrep.Prepare("a\u0007b", SaslPrepRules.Libpq).Value); // saslprep.c: pg_is_ascii shortcut
        Assert.Equal(SaslPrepFailure.Prohibited, SaslPrep.Prepare("a\u0007b", SaslPrepRules.Rfc4013).Failure);
    }

    [Theory]
    [InlineData("a\u0221b")] // unassigned in Unicode 3.2, assigned since 4.0
    [InlineData("smile\U0001F600")] // emoji: unassigned in Unicode 3.2, the version RFC 3454 fixes
    public void Code_points_unassigned_in_unicode_3_2_are_refused_by_both(string input)
    {
        Assert.Equal(SaslPrepFailure.Unassigned, SaslPrep.Prepare(input, SaslPrepRules.Libpq).Failure);
        Assert.Equal(SaslPrepFailure.Unassigned, SaslPrep.Prepare(input, SaslPrepRules.Rfc4013).Failure);
    }

    [Fact]
    public void Zero_width_space_is_a_space_for_libpq_and_nothing_for_pymongo()
    {
        // U+200B is in both C.1.2 (space) and B.1 (nothing); the drivers pick differently (saslprep.c; pymongo/saslprep.py).
        Assert.Equal("a b\u00E9", SaslPrep.Prepare("a\u200Bb\u00E9", SaslPrepRules.Libpq).Value);
        Assert.Equal("ab\u00E9", SaslPrep.Prepare("a\u200Bb\u00E9", SaslPrepRules.Rfc4013).Value);
    }

    [Fact]
    public void Libpq_checks_the_mapped_text_before_nfkc_the_rfc_checks_the_output()
    {
        // U+0340 (C.8) normalises to U+0300, which is allowed: libpq refuses (and then sends the raw password).
        Assert.Equal(SaslPrepFailure.Prohibited, SaslPrep.Prepare("a\u0340", SaslPrepRules.Libpq).Failure);
        Assert.Equal("\u00E0", SaslPrep.Prepare("a\u0340", SaslPrepRules.Rfc4013).Value);
    }

    [Fact]
    public void Libpq_refuses_a_password_that_maps_to_nothing()
    {
        Assert.Equal(SaslPrepFailure.Empty, SaslPrep.Prepare("\u00AD\u200D", SaslPrepRules.Libpq).Failure);
        Assert.Equal(string.Empty, SaslPrep.Prepare("\u00AD\u200D", SaslPrepRules.Rfc4013).Value);
    }

    [Theory]
    [InlineData("\uE000\u00E9", (int)SaslPrepFailure.Prohibited)] // private use
    [InlineData("x\uFDD0", (int)SaslPrepFailure.Prohibited)] // non-character
    [InlineData("x\U0001FFFE", (int)SaslPrepFailure.Prohibited)] // plane-end non-character
    [InlineData("x\u2FF0", (int)SaslPrepFailure.Prohibited)] // ideographic description
    [InlineData("x\U000E0041", (int)SaslPrepFailure.Prohibited)] // tag
    [InlineData("x\u200E", (int)SaslPrepFailure.Prohibited)] // directional mark
    [InlineData("x\uFFFD", (int)SaslPrepFailure.Prohibited)] // replacement character
    public void Prohibited_output_is_refused_with_its_reason_and_never_echoed(string input, int failureValue)
    {
        var failure = (SaslPrepFailure)failureValue; // an int in the signature: the enum is internal and a public test method cannot take it
        var result = SaslPrep.Prepare(input, SaslPrepRules.Rfc4013);
        Assert.Equal(failure, result.Failure);
        Assert.Null(result.Value);
        Assert.DoesNotContain(input, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_surrogate_is_invalid_text()
    {
        // Built at run time: an attribute argument cannot carry a lone surrogate (metadata stores UTF-8).
        var input = "x" + (char)0xD800;
        Assert.Equal(SaslPrepFailure.InvalidText, SaslPrep.Prepare(input, SaslPrepRules.Rfc4013).Failure);
        Assert.Equal(SaslPrepFailure.InvalidText, SaslPrep.Prepare(input + "\u00E9", SaslPrepRules.Libpq).Failure);
    }
}

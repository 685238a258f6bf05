using DbTls.Checks;
using DbTls.Cli.Rendering;
using DbTls.Dialects.Libpq;
using DbTls.Policy;
using DbTls.Reports;

namespace DbTls.Tests.Dialects;

/// <summary>Messages are shown whole or withheld whole, never patched (issue 9), and name what the user wrote (issue 15).</summary>
public class RegistryMessageTests
{
    [Fact]
    public void Exception_text_holding_a_one_letter_password_is_withheld_not_mangled()
    {
        var shown = CheckText.Scrub("Index was outside the bounds of the array.", new Secret("x"));

        Assert.Equal(CheckText.Withheld, shown);
        Assert.DoesNotContain("********", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Exception_text_without_the_secret_is_shown_unchanged() =>
        Assert.Equal("Index was outside the bounds of the array.", CheckText.Scrub("Index was outside the bounds of the array.", new Secret("Zq-91"), null));

    [Theory]
    [InlineData("sslmod", "sslmode")]
    [InlineData("SSLMODE2", "sslmode")]
    [InlineData("sslrootcrt", "sslrootcert")]
    [InlineData("dbnam", "dbname")]
    [InlineData("zq7", null)]
    [InlineData("hunter", null)]
    public void A_misspelt_keyword_is_matched_to_the_one_meant(string written, string? meant) =>
        Assert.Equal(meant, KeywordSuggestion.For(written));

    [Fact]
    public void Unexpected_errors_are_described_without_their_message()
    {
        // Thrown, so that it has a stack trace as a real bug's exception has.
        Action bug = () => throw new InvalidOperationException("Pa55-in-message");
        var error = Assert.Throws<InvalidOperationException>(bug);

        Assert.DoesNotContain("Pa55-in-message", UnexpectedErrors.Describe(error), StringComparison.Ordinal);
        Assert.DoesNotContain("Pa55-in-message", UnexpectedErrors.Where(error), StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException", UnexpectedErrors.Where(error), StringComparison.Ordinal);
        Assert.Contains("   at ", UnexpectedErrors.Where(error), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("strict", null, "not sent (strict")]
    [InlineData("strict", "ON", "inside TLS (strict: TLS first), ENCRYPTION sent NOT_SUP, server answered ON")]
    [InlineData("prelogin", "ON", "ENCRYPTION sent NOT_SUP, server answered ON")]
    [InlineData("prelogin", null, "ENCRYPTION sent NOT_SUP, server answered nothing (no answer)")]
    public void The_prelogin_line_says_what_went_over_the_wire(string method, string? received, string expected)
    {
        var negotiation = new NegotiationReport { Method = method, EncryptionSent = "NOT_SUP", EncryptionReceived = received };

        Assert.StartsWith(expected, PreloginText.For(negotiation), StringComparison.Ordinal);
    }
}

using DbTls.Diagnostics;

namespace DbTls.Tests.Explain;

/// <summary><c>lint.repeated-option</c>: a keyword written twice is named, in every dialect family that can repeat one, and only then.</summary>
public sealed class LintRepeatedOptionTests : IDisposable
{
    private readonly ExplainFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    [Theory]
    [InlineData("host=db.example.com sslmode=verify-full sslmode=require", "sslmode")]
    [InlineData("postgresql://db.example.com/app?sslmode=verify-full&sslmode=require", "sslmode")]
    [InlineData("Server=db,1433;Encrypt=Strict;ENCRYPT=Optional", "encrypt")]
    [InlineData("jdbc:sqlserver://db:1433;encrypt=strict;encrypt=false", "encrypt")]
    [InlineData("Host=db;SSL Mode=VerifyFull;ssl mode=Require", "ssl mode")]
    public void A_keyword_written_twice_is_named(string text, string keyword)
    {
        var finding = Assert.Single(_fx.Explained(text).Findings, f => f.Code == FindingCodes.LintRepeatedOption);
        Assert.StartsWith($"{keyword} is written more than once", finding.Message, StringComparison.Ordinal);
        Assert.Equal(Severity.Warning, finding.Severity);
    }

    [Theory]
    [InlineData("host=db.example.com sslmode=verify-full sslrootcert=system")]
    [InlineData("Server=db,1433;Encrypt=Strict;TrustServerCertificate=False")]
    public void Keywords_written_once_are_not_named(string text) =>
        Assert.DoesNotContain(_fx.Explained(text).Findings, f => f.Code == FindingCodes.LintRepeatedOption);
}

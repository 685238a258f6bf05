using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Explain;
using DbTls.Tests.Dialects;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Explain;

/// <summary>
/// A home directory and a freetds.conf of the test's own, so the machine's ~/.postgresql and freetds.conf cannot
/// change what a string means, plus certificate files made for the test.
/// </summary>
public sealed class ExplainFixture : IDisposable
{
    private readonly TempDirectory _dir = new();

    public ExplainFixture()
    {
        Directory.CreateDirectory(Home);
    }

    public string Home => _dir.Combine("home");

    public string FreeTdsConf => _dir.Combine("freetds.conf");

    public Dictionary<string, string> Variables => new(StringComparer.Ordinal) { ["HOME"] = Home, ["FREETDSCONF"] = FreeTdsConf };

    public string Write(string name, string content) => _dir.Write(name, content);

    /// <summary>A fresh root CA written as PEM; returns its path.</summary>
    public string CaFile(string name = "ca.pem")
    {
        using var root = CertFactory.CreateRoot();
        return Write(name, root.CertificatePem);
    }

    /// <summary>A self-signed server certificate (as pinned ones often are) valid until <paramref name="notAfter"/>, written as PEM; returns its path.</summary>
    public string LeafFile(string name, DateTimeOffset notAfter)
    {
        using var leaf = CertFactory.Issue(new CertSpec
        {
            CommonName = "db.example.com",
            DnsNames = ["db.example.com"],
            NotBefore = notAfter.AddDays(-400),
            NotAfter = notAfter,
        }, issuer: null);
        return Write(name, leaf.CertificatePem);
    }

    public void FreeTdsSection(string body) => File.WriteAllText(FreeTdsConf, "[global]\n\ttds version = auto\n[srv]\n" + body);

    public ExplainOutcome Explain(string text, string? dialect = null)
    {
        var registry = DialectRegistry.Default;
        var found = dialect is null ? registry.Detect(text) : registry.Find(dialect)!;
        return ConnectionExplainer.Explain(found, text, new CheckEnvironment(Variables) { OsUserName = "tester" }, TimeProvider.System);
    }

    /// <summary>The explanation of a string that must parse.</summary>
    public Explanation Explained(string text, string? dialect = null)
    {
        var outcome = Explain(text, dialect);
        Assert.True(outcome.Failure is null, outcome.Failure?.Message);
        return outcome.Explanation!;
    }

    public static IEnumerable<string> Codes(Explanation explanation) => explanation.Findings.Select(f => f.Code);

    public static IEnumerable<Finding> Lint(Explanation explanation) => explanation.Findings.Where(f => f.Code.StartsWith("lint.", StringComparison.Ordinal));

    public void Dispose() => _dir.Dispose();
}

using DbTls.Tests.Oracles.Pgjdbc;
using DbTls.Tls.HostNames;

namespace DbTls.Tests.Dialects.Pgjdbc;

/// <summary>
/// dbtls' copy of PGjdbcHostnameVerifier.verifyHostName against the real one (pgjdbc 42.5.5 through Probe.java), pair by
/// pair: the cases where Java's rule differs from libpq's (a star covering a whole short name, IP strings) included.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PgjdbcHostNamePatternTests
{
    private static readonly (string Host, string Pattern)[] Pairs =
    [
        ("db.example.com", "db.example.com"),
        ("DB.Example.COM", "db.example.com"),
        ("db.example.com", "*.example.com"),
        ("a.b.example.com", "*.example.com"),
        ("example.com", "*.example.com"),
        ("example.com", "*.com"),
        ("com", "*.com"),
        ("dbexample.com", "*example.com"),
        ("db.example.com", "db*.example.com"),
        ("db.example.com", "*"),
        ("db.example.com", "*.*.com"),
        ("127.0.0.1", "127.0.0.1"),
        ("::1", "0:0:0:0:0:0:0:1"),
        ("0:0:0:0:0:0:0:1", "0:0:0:0:0:0:0:1"),
        (".example.com", "*.example.com"),
        ("x.example.com", "*.EXAMPLE.com"),
        ("localhost", "*localhost"),
        ("localhost", "*.localhost"),
    ];

    [Fact]
    public async Task Every_pair_gets_pgjdbcs_answer()
    {
        Assert.True(PgjdbcOracle.Available, "pgjdbc oracle missing: run scripts/setup.sh");
        var pgjdbc = await PgjdbcOracle.VerifyHostNamesAsync(Pairs);

        Assert.Equal(Pairs.Length, pgjdbc.Count);
        var differing = Pairs.Where((pair, i) => PgjdbcHostNameMatcher.VerifyHostName(pair.Host, pair.Pattern) != pgjdbc[i])
            .Select(pair => $"{pair.Host} vs {pair.Pattern}").ToList();
        Assert.True(differing.Count == 0, string.Join("\n", differing));

        // Both answers occur, so the comparison can fail.
        Assert.Contains(true, pgjdbc);
        Assert.Contains(false, pgjdbc);
    }
}

using DbTls.Scan;
using DbTls.Scan.Probe;

namespace DbTls.Tests.Scan;

/// <summary>How one version's elimination is cut into chains that run side by side, and where their seams are.</summary>
public sealed class ParallelEliminationTests
{
    private static readonly ushort EcdheRsaAes256Gcm = 0xC030;
    private static readonly ushort EcdheEcdsaAes256Gcm = 0xC02C;

    private static List<ushort> Tls12Offer(ushort chosen) =>
        CipherSuite.ForVersion(TlsVersions.Tls12).Select(s => s.Id).Where(id => id != chosen).ToList();

    [Theory]
    [InlineData(0xC030)]
    [InlineData(0xC02C)]
    [InlineData(0x009C)]
    public void The_runs_hold_every_suite_once_in_the_offer_order(int chosen)
    {
        var offer = Tls12Offer((ushort)chosen);

        var runs = SuiteChains.Split(offer, (ushort)chosen);

        Assert.Equal(offer, runs.SelectMany(r => r));
        Assert.All(runs, r => Assert.NotEmpty(r));
        Assert.InRange(runs.Count, 1, SuiteChains.MaxChains);
    }

    [Fact]
    public void An_RSA_certificate_gets_three_chains_that_share_the_likely_suites()
    {
        var runs = SuiteChains.Split(Tls12Offer(EcdheRsaAes256Gcm), EcdheRsaAes256Gcm);

        Assert.Equal(3, runs.Count);
        // The suites an OpenSSL server with an RSA key enables by default: each chain gets a share, none all of them.
        var likely = runs.Select(r => r.Count(id => Likely(CipherSuite.Of(id)))).ToArray();
        Assert.All(likely, n => Assert.InRange(n, 8, 30));
    }

    [Fact]
    public void Before_any_choice_the_whole_TLS_1_2_offer_is_split_into_three_chains_in_its_order()
    {
        var offer = CipherSuite.ForVersion(TlsVersions.Tls12).Select(s => s.Id).ToList();

        var runs = SuiteChains.Split(offer, chosen: null);

        Assert.Equal(3, runs.Count);
        Assert.Equal(offer, runs.SelectMany(r => r));
        // Nothing says yet which certificate the server has: RSA and ECDSA suites both count, so each chain holds some of each.
        Assert.All(runs, r => Assert.Contains(r, id => CipherSuite.Of(id).Name.Contains("_ECDSA_", StringComparison.Ordinal)));
        Assert.All(runs, r => Assert.Contains(r, id => Likely(CipherSuite.Of(id))));
    }

    [Fact]
    public void TLS_1_3_has_too_few_suites_for_a_second_chain()
    {
        var offer = CipherSuite.ForVersion(TlsVersions.Tls13).Select(s => s.Id).Skip(1).ToList();

        var runs = SuiteChains.Split(offer, CipherSuite.ForVersion(TlsVersions.Tls13)[0].Id);

        Assert.Equal(offer, Assert.Single(runs));
    }

    [Fact]
    public void An_ECDSA_certificate_balances_on_the_ECDSA_suites_not_the_RSA_ones()
    {
        var runs = SuiteChains.Split(Tls12Offer(EcdheEcdsaAes256Gcm), EcdheEcdsaAes256Gcm);

        var ecdsa = runs.Select(r => r.Count(id => CipherSuite.Of(id).Name.Contains("_ECDSA_", StringComparison.Ordinal))).ToArray();
        Assert.All(ecdsa, n => Assert.True(n > 0, string.Join(",", ecdsa)));
    }

    [Fact]
    public void The_seams_join_the_last_of_each_chain_that_found_suites_to_the_first_of_the_next()
    {
        IReadOnlyList<IReadOnlyList<ushort>> found = [[1, 2, 3], [], [4], [5, 6]];

        Assert.Equal([(3, 4), (4, 5)], SuiteChains.Seams(found).Select(s => ((int)s.Earlier, (int)s.Later)));
    }

    [Fact]
    public void One_chain_with_suites_has_no_seam()
    {
        Assert.Empty(SuiteChains.Seams([[], [7, 8], []]));
    }

    private static bool Likely(CipherSuite suite) =>
        suite.Name.Contains("_RSA_", StringComparison.Ordinal) && !suite.Name.Contains("PSK", StringComparison.Ordinal)
        && !suite.Name.Contains("_SRP_", StringComparison.Ordinal) && !suite.NullCipher && !suite.Export && !suite.Rc4 && !suite.TripleDes;
}

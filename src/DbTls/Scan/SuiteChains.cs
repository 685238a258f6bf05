using DbTls.Scan.Probe;

namespace DbTls.Scan;

/// <summary>
/// How one version's elimination is split into chains that run side by side. A single chain is as long as the
/// server has suites (46 probes for PostgreSQL 18's TLS 1.2, one after the other); a few chains over contiguous
/// runs of the offer overlap the server's per-connection work. Each chain finds its run's suites in the server's
/// order; the runs are then joined, and one probe per seam (<see cref="Seams"/>) proves that joining them end to
/// end is the order a single chain would have found.
/// </summary>
internal static class SuiteChains
{
    /// <summary>Each extra chain costs two connections (its own refusal and one seam probe): the 70-connection budget allows three.</summary>
    public const int MaxChains = 3;

    /// <summary>Below this many likely suites per chain a second chain saves less than the connections it costs.</summary>
    private const int LikelyPerChain = 12;

    /// <summary>
    /// Splits <paramref name="offer"/> (in offer order, without the first choice when there was one) into runs that keep the
    /// offer order, each holding about as much of the server's likely work, so that the chains finish together.
    /// Likely: the same authentication as <paramref name="chosen"/> (the certificate decides it; RSA or ECDSA when
    /// nothing was chosen yet) and not a PSK, SRP,
    /// anonymous, NULL, export or legacy (3DES, RC4, DES, IDEA) suite, which servers rarely enable. The work of a
    /// probe is what the server computes before its ServerHello leaves: a finite-field DH key and a signature (DHE)
    /// costs it most, an elliptic-curve key and a signature (ECDHE) less, RSA key exchange (no ServerKeyExchange)
    /// least. This only balances the chains; every suite is still offered.
    /// </summary>
    public static List<List<ushort>> Split(IReadOnlyList<ushort> offer, ushort? chosen)
    {
        var authentication = chosen is { } id ? Authentication(CipherSuite.Of(id)) : null;
        var work = offer.Select(id => Work(CipherSuite.Of(id), authentication)).ToArray();
        var chains = Math.Clamp(work.Count(w => w > 0) / LikelyPerChain, 1, MaxChains);
        var total = work.Sum();
        var runs = new List<List<ushort>> { new() };
        var done = 0;
        for (var i = 0; i < offer.Count; i++)
        {
            runs[^1].Add(offer[i]);
            done += work[i];
            if (runs.Count < chains && done * chains >= total * runs.Count && i < offer.Count - 1)
            {
                runs.Add([]);
            }
        }

        return runs;
    }

    /// <summary>
    /// The seams between consecutive runs that found suites: the last suite of the earlier run and the first of the
    /// later one. Offered together in that order, a server with one preference order (its own or the client's) picks
    /// the earlier; then every suite of the earlier run comes before every suite of the later run.
    /// </summary>
    public static IReadOnlyList<(ushort Earlier, ushort Later)> Seams(IReadOnlyList<IReadOnlyList<ushort>> found)
    {
        var nonEmpty = found.Where(f => f.Count > 0).ToArray();
        var seams = new List<(ushort, ushort)>();
        for (var i = 1; i < nonEmpty.Length; i++)
        {
            seams.Add((nonEmpty[i - 1][^1], nonEmpty[i][0]));
        }

        return seams;
    }

    /// <summary>The server's relative work for a likely suite (see <see cref="Split"/>); 0 for an unlikely one.</summary>
    private static int Work(CipherSuite suite, string? authentication) =>
        !suite.IsTls13 && (suite.Anonymous || suite.NullCipher || suite.Export || suite.Rc4 || suite.TripleDes
            || suite.Name.Contains("_DES_", StringComparison.Ordinal) || suite.Name.Contains("_IDEA_", StringComparison.Ordinal)
            || suite.Name.Contains("PSK", StringComparison.Ordinal) || suite.Name.Contains("_SRP_", StringComparison.Ordinal)
            || Authentication(suite) is var needs && (authentication is null ? needs == "DSS" : needs != authentication)) ? 0
        : suite.Name.Contains("_DHE_", StringComparison.Ordinal) ? 3
        : suite.Ecdhe || suite.IsTls13 ? 2
        : 1;

    /// <summary>What the certificate must be for the suite, as its IANA name says (TLS 1.3 names none).</summary>
    private static string Authentication(CipherSuite suite) =>
        suite.IsTls13 ? "any"
        : suite.Name.Contains("_ECDSA_", StringComparison.Ordinal) ? "ECDSA"
        : suite.Name.Contains("_DSS_", StringComparison.Ordinal) ? "DSS"
        : "RSA";
}

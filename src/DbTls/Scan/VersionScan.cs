using DbTls.Scan.Probe;

namespace DbTls.Scan;

/// <summary>What one version's probes found, before it becomes a report.</summary>
internal sealed record VersionResult(ushort Version, IReadOnlyList<ushort> Suites, string? Order, ProbeReply First)
{
    public bool Accepted => Suites.Count > 0;
}

/// <summary>
/// Accepted suites of one version by elimination: offer every suite, note the one chosen, offer the rest, until the
/// server refuses. Against a server that enforces its own preference the choices come out in that preference.
/// After the first choice the rest of the offer is eliminated in a few chains side by side (<see cref="SuiteChains"/>),
/// whose results are joined into the order one chain would have found.
/// </summary>
internal static class VersionScan
{
    /// <summary>The version's suites and order, and (TLS 1.2 and 1.3) its groups, which are scanned beside the suites.</summary>
    public static async Task<(VersionResult Result, IReadOnlyList<NamedGroup> Groups)> RunAsync(ScanSession session, ushort version, CancellationToken cancellationToken)
    {
        var offer = CipherSuite.ForVersion(version).Select(s => s.Id).ToList();
        // TLS 1.2 and 1.3 are where servers keep their many suites; a refused old version is one probe that can wait.
        var first = await session.ProbeAsync(session.Spec(version, offer) with { WantCertificate = version <= TlsVersions.Tls12 }, cancellationToken, urgent: version >= TlsVersions.Tls12).ConfigureAwait(false);
        if (!Chose(first, version, offer))
        {
            return (new VersionResult(version, [], null, first), []);
        }

        var groups = version >= TlsVersions.Tls12 ? GroupScan.RunAsync(session, version, first, cancellationToken) : Task.FromResult<IReadOnlyList<NamedGroup>>([]);
        offer.Remove(first.Suite);
        var found = await Task.WhenAll(SuiteChains.Split(offer, first.Suite).Select(run => EliminateAsync(session, version, run, cancellationToken))).ConfigureAwait(false);
        List<ushort> joined = [first.Suite, .. found.SelectMany(f => f)];
        // The order probe needs only the accepted set's two ends, so it runs beside the seam probes; a join that the
        // seams refute changes the list it was asked about, and then it is asked again.
        var order = OrderAsync(session, version, joined, cancellationToken);
        List<ushort> accepted = [first.Suite, .. await JoinAsync(session, version, found, cancellationToken).ConfigureAwait(false)];
        var served = accepted.SequenceEqual(joined)
            ? await order.ConfigureAwait(false)
            : await OrderAsync(session, version, accepted, cancellationToken).ConfigureAwait(false);
        return (new VersionResult(version, accepted, served, first), await groups.ConfigureAwait(false));
    }

    /// <summary>
    /// Whether the reply chose a suite of this offer for this version. A ServerHello for another version (a lower
    /// one) means this version is not spoken; a suite that was not offered is a server fault that must not loop the
    /// elimination.
    /// </summary>
    private static bool Chose(ProbeReply reply, ushort version, IReadOnlyList<ushort> offered) =>
        reply.Accepted && reply.Version == version && offered.Contains(reply.Suite);

    /// <summary>One chain: the suites of <paramref name="run"/> the server accepts, in the order it chooses them.</summary>
    private static async Task<List<ushort>> EliminateAsync(ScanSession session, ushort version, List<ushort> run, CancellationToken cancellationToken)
    {
        var accepted = new List<ushort>();
        session.ChainStarted();
        try
        {
            while (run.Count > 0)
            {
                var reply = await session.ProbeAsync(session.Spec(version, run), cancellationToken, urgent: true).ConfigureAwait(false);
                if (!Chose(reply, version, run))
                {
                    break;
                }

                run.Remove(reply.Suite);
                accepted.Add(reply.Suite);
            }
        }
        finally
        {
            session.ChainEnded();
        }

        return accepted;
    }

    /// <summary>
    /// The chains' suites in one order: end to end when every seam holds (one probe each, side by side), else merged
    /// by offering the chains' heads together until one chain is left, which is what a single chain would have found.
    /// </summary>
    private static async Task<IReadOnlyList<ushort>> JoinAsync(ScanSession session, ushort version, IReadOnlyList<List<ushort>> found, CancellationToken cancellationToken)
    {
        var seams = SuiteChains.Seams(found);
        var held = await Task.WhenAll(seams.Select(async seam =>
        {
            var reply = await session.ProbeAsync(session.Spec(version, [seam.Earlier, seam.Later]), cancellationToken, urgent: true).ConfigureAwait(false);
            return Chose(reply, version, [seam.Earlier, seam.Later]) && reply.Suite == seam.Earlier;
        })).ConfigureAwait(false);
        if (held.All(h => h))
        {
            return found.SelectMany(f => f).ToArray();
        }

        var chains = found.Where(f => f.Count > 0).Select(f => new Queue<ushort>(f)).ToList();
        var merged = new List<ushort>();
        while (chains.Count > 1)
        {
            var heads = chains.Select(c => c.Peek()).ToArray();
            var reply = await session.ProbeAsync(session.Spec(version, heads), cancellationToken, urgent: true).ConfigureAwait(false);
            var taken = Chose(reply, version, heads) ? Array.IndexOf(heads, reply.Suite) : -1;
            if (taken < 0)
            {
                // A server that refuses suites it accepted a moment ago has no order to find: keep the chains' own.
                break;
            }

            merged.Add(chains[taken].Dequeue());
            if (chains[taken].Count == 0)
            {
                chains.RemoveAt(taken);
            }
        }

        merged.AddRange(chains.SelectMany(c => c));
        return merged;
    }

    /// <summary>
    /// Offers the accepted suites in reverse: a server that keeps its own preference picks the same first suite,
    /// one that follows the client picks the last one found.
    /// </summary>
    private static async Task<string?> OrderAsync(ScanSession session, ushort version, List<ushort> accepted, CancellationToken cancellationToken)
    {
        if (accepted.Count < 2)
        {
            return null;
        }

        var reversed = Enumerable.Reverse(accepted).ToArray();
        var reply = await session.ProbeAsync(session.Spec(version, reversed), cancellationToken, urgent: true).ConfigureAwait(false);
        return !reply.Accepted ? null : reply.Suite == accepted[0] ? "server" : reply.Suite == reversed[0] ? "client" : null;
    }
}

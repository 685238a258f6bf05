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
/// The offer is eliminated in a few chains side by side (<see cref="SuiteChains"/>; TLS 1.2 at once, the others after their first choice),
/// whose results are joined into the order one chain would have found.
/// </summary>
internal static class VersionScan
{
    /// <summary>The version's suites and order, and (TLS 1.2 and 1.3) its groups, which are scanned beside the suites.</summary>
    public static Task<(VersionResult Result, IReadOnlyList<NamedGroup> Groups)> RunAsync(ScanSession session, ushort version, CancellationToken cancellationToken) =>
        version == TlsVersions.Tls12 ? SplitAtOnceAsync(session, version, cancellationToken) : SplitAfterFirstAsync(session, version, cancellationToken);

    /// <summary>
    /// One offer of every suite first: a refused version costs that one probe. After the first choice the rest is
    /// split into chains, and the first choice heads the order (it was preferred to every other suite).
    /// </summary>
    private static async Task<(VersionResult Result, IReadOnlyList<NamedGroup> Groups)> SplitAfterFirstAsync(ScanSession session, ushort version, CancellationToken cancellationToken)
    {
        var offer = CipherSuite.ForVersion(version).Select(s => s.Id).ToList();
        // TLS 1.3 is where a server keeps its newest suites; a refused old version is one probe that can wait.
        var first = await session.ProbeAsync(session.Spec(version, offer) with { WantCertificate = version <= TlsVersions.Tls12 }, cancellationToken, urgent: version >= TlsVersions.Tls12).ConfigureAwait(false);
        if (!Chose(first, version, offer))
        {
            return (new VersionResult(version, [], null, first), []);
        }

        var groups = version >= TlsVersions.Tls12 ? GroupScan.RunAsync(session, version, first, cancellationToken) : Task.FromResult<IReadOnlyList<NamedGroup>>([]);
        offer.Remove(first.Suite);
        var chains = await Task.WhenAll(SuiteChains.Split(offer, first.Suite).Select(run => EliminateAsync(session, version, run, null, cancellationToken))).ConfigureAwait(false);
        return (await JoinAsync(session, version, first, [first.Suite], chains, cancellationToken).ConfigureAwait(false), await groups.ConfigureAwait(false));
    }

    /// <summary>
    /// TLS 1.2, where servers keep most suites: the chains start at once over the whole offer, without waiting for a
    /// first answer (one probe time at the start of the longest path, where every other probe of the scan is asking
    /// for a connection too). The first probe of each chain asks for the certificate; the first chain whose first
    /// answer accepts gives the version's first answer (certificate, extensions) and starts the groups. A server
    /// that refuses TLS 1.2 costs one refusal per chain instead of one.
    /// </summary>
    private static async Task<(VersionResult Result, IReadOnlyList<NamedGroup> Groups)> SplitAtOnceAsync(ScanSession session, ushort version, CancellationToken cancellationToken)
    {
        var offer = CipherSuite.ForVersion(version).Select(s => s.Id).ToList();
        var accepting = new TaskCompletionSource<ProbeReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = SuiteChains.Split(offer, chosen: null).Select(run => EliminateAsync(session, version, run, accepting, cancellationToken)).ToArray();
        var all = Task.WhenAll(running);
        var groups = GroupsOnceAcceptedAsync(session, version, accepting.Task, all, cancellationToken);
        var chains = await all.ConfigureAwait(false);
        var first = chains.Select(c => c.First).FirstOrDefault(r => r.Accepted && r.Version == version) ?? chains[0].First;
        if (chains.All(c => c.Found.Count == 0))
        {
            return (new VersionResult(version, [], null, first), await groups.ConfigureAwait(false));
        }

        return (await JoinAsync(session, version, first, [], chains, cancellationToken).ConfigureAwait(false), await groups.ConfigureAwait(false));
    }

    /// <summary>The groups, from the first accepting answer of any chain; none when every chain was refused at once.</summary>
    private static async Task<IReadOnlyList<NamedGroup>> GroupsOnceAcceptedAsync(ScanSession session, ushort version, Task<ProbeReply> accepting, Task chains, CancellationToken cancellationToken)
    {
        await Task.WhenAny(accepting, chains).ConfigureAwait(false);
        return accepting.IsCompleted
            ? await GroupScan.RunAsync(session, version, await accepting.ConfigureAwait(false), cancellationToken).ConfigureAwait(false)
            : [];
    }

    /// <summary>The chains' suites after <paramref name="head"/>, in one order, with the version's server/client order.</summary>
    private static async Task<VersionResult> JoinAsync(ScanSession session, ushort version, ProbeReply first, List<ushort> head, IReadOnlyList<Chain> chains, CancellationToken cancellationToken)
    {
        var found = chains.Select(c => c.Found).ToArray();
        List<ushort> joined = [.. head, .. found.SelectMany(f => f)];
        // The order probe needs only the accepted set's two ends, so it runs beside the seam probes; a join that the
        // seams refute changes the list it was asked about, and then it is asked again.
        var order = OrderAsync(session, version, joined, cancellationToken);
        List<ushort> accepted = [.. head, .. await JoinChainsAsync(session, version, found, cancellationToken).ConfigureAwait(false)];
        var served = accepted.SequenceEqual(joined)
            ? await order.ConfigureAwait(false)
            : await OrderAsync(session, version, accepted, cancellationToken).ConfigureAwait(false);
        return new VersionResult(version, accepted, served, first);
    }

    /// <summary>
    /// Whether the reply chose a suite of this offer for this version. A ServerHello for another version (a lower
    /// one) means this version is not spoken; a suite that was not offered is a server fault that must not loop the
    /// elimination.
    /// </summary>
    private static bool Chose(ProbeReply reply, ushort version, IReadOnlyList<ushort> offered) =>
        reply.Accepted && reply.Version == version && offered.Contains(reply.Suite);

    /// <summary>What one chain found, in the order the server chose it, and the answer to its first offer.</summary>
    private sealed record Chain(List<ushort> Found, ProbeReply First);

    /// <summary>
    /// One chain: the suites of <paramref name="run"/> the server accepts, in the order it chooses them. With
    /// <paramref name="accepting"/> its first offer asks for the certificate, and an accepting first answer is handed there.
    /// </summary>
    private static async Task<Chain> EliminateAsync(ScanSession session, ushort version, List<ushort> run, TaskCompletionSource<ProbeReply>? accepting, CancellationToken cancellationToken)
    {
        var accepted = new List<ushort>();
        ProbeReply? first = null;
        var started = false;
        try
        {
            while (run.Count > 0)
            {
                var spec = session.Spec(version, run) with { WantCertificate = first is null && accepting is not null };
                var reply = await session.ProbeAsync(spec, cancellationToken, urgent: true).ConfigureAwait(false);
                var chose = Chose(reply, version, run);
                if (first is null)
                {
                    first = reply;
                    if (chose)
                    {
                        accepting?.TrySetResult(reply);
                        // Only a chain that goes on wants a connection opened ahead: one refused at once costs none.
                        session.ChainStarted();
                        started = true;
                    }
                }

                if (!chose)
                {
                    break;
                }

                run.Remove(reply.Suite);
                accepted.Add(reply.Suite);
            }
        }
        finally
        {
            if (started)
            {
                session.ChainEnded();
            }
        }

        return new Chain(accepted, first ?? ProbeReply.Fault(ProbeReplyKind.NoEntry, "nothing was offered"));
    }

    /// <summary>
    /// The chains' suites in one order: end to end when every seam holds (one probe each, side by side), else merged
    /// by offering the chains' heads together until one chain is left, which is what a single chain would have found.
    /// </summary>
    private static async Task<IReadOnlyList<ushort>> JoinChainsAsync(ScanSession session, ushort version, IReadOnlyList<List<ushort>> found, CancellationToken cancellationToken)
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

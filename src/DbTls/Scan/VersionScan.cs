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
/// </summary>
internal static class VersionScan
{
    public static async Task<VersionResult> RunAsync(ScanSession session, ushort version, CancellationToken cancellationToken)
    {
        var offered = CipherSuite.ForVersion(version).Select(s => s.Id).ToList();
        var accepted = new List<ushort>();
        ProbeReply? first = null;
        while (offered.Count > 0)
        {
            var spec = session.Spec(version, offered) with { WantCertificate = first is null && version <= TlsVersions.Tls12 };
            var reply = await session.ProbeAsync(spec, cancellationToken).ConfigureAwait(false);
            first ??= reply;
            // A ServerHello for another version (a lower one) means this version is not spoken; a suite we did not
            // offer is a server fault that must not loop the elimination.
            if (!reply.Accepted || reply.Version != version || !offered.Remove(reply.Suite))
            {
                break;
            }

            accepted.Add(reply.Suite);
        }

        return new VersionResult(version, accepted, await OrderAsync(session, version, accepted, cancellationToken).ConfigureAwait(false), first!);
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
        var reply = await session.ProbeAsync(session.Spec(version, reversed), cancellationToken).ConfigureAwait(false);
        return !reply.Accepted ? null : reply.Suite == accepted[0] ? "server" : reply.Suite == reversed[0] ? "client" : null;
    }

    /// <summary>
    /// The groups the server accepts with this version, by elimination like the suites: offer every candidate, note
    /// the one the server takes (TLS 1.3: its key share or the HelloRetryRequest's; below: the ServerKeyExchange's
    /// curve), offer the rest, until it refuses. One probe per accepted group plus one, instead of one per candidate.
    /// </summary>
    public static async Task<IReadOnlyList<NamedGroup>> GroupsAsync(ScanSession session, VersionResult result, CancellationToken cancellationToken)
    {
        var tls13 = result.Version == TlsVersions.Tls13;
        IReadOnlyList<ushort> suites = result.Suites;
        var remaining = NamedGroup.Known.ToList();
        if (!tls13)
        {
            // Below 1.3 a group is only chosen for an ECDHE suite, and only elliptic curves are negotiated this way.
            suites = result.Suites.Where(id => CipherSuite.Of(id).Ecdhe).ToArray();
            remaining.RemoveAll(g => g.IsFiniteField);
            if (suites.Count == 0)
            {
                return [];
            }
        }

        var accepted = new HashSet<ushort>();
        while (remaining.Count > 0)
        {
            // A key share for the first candidate only: a server that takes another group says which in a HelloRetryRequest.
            var spec = session.Spec(result.Version, suites) with
            {
                Groups = remaining.Select(g => g.Id).ToArray(),
                KeyShareGroups = tls13 ? [remaining[0].Id] : [],
                WantCertificate = !tls13,
            };
            var reply = await session.ProbeAsync(spec, cancellationToken).ConfigureAwait(false);
            var taken = reply.Accepted && reply.Version == result.Version && reply.Group is { } id ? remaining.FindIndex(g => g.Id == id) : -1;
            if (taken < 0)
            {
                // A refusal, or a group that was not offered (a server fault that must not loop the elimination).
                break;
            }

            accepted.Add(remaining[taken].Id);
            remaining.RemoveAt(taken);
        }

        return NamedGroup.Known.Where(g => accepted.Contains(g.Id)).ToArray();
    }
}

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

    /// <summary>The groups the server accepts with this version: one probe per group, offering only that group.</summary>
    public static async Task<IReadOnlyList<NamedGroup>> GroupsAsync(ScanSession session, VersionResult result, CancellationToken cancellationToken)
    {
        IEnumerable<ushort> suites = result.Suites;
        var candidates = NamedGroup.Known.AsEnumerable();
        if (result.Version != TlsVersions.Tls13)
        {
            // Below 1.3 a group is only chosen for an ECDHE suite, and only elliptic curves are negotiated this way.
            suites = result.Suites.Where(id => CipherSuite.Of(id).Name.Contains("_ECDHE_", StringComparison.Ordinal)).ToArray();
            candidates = candidates.Where(g => !g.IsFiniteField);
            if (!suites.Any())
            {
                return [];
            }
        }

        var probes = candidates.Select(async group =>
        {
            var spec = session.Spec(result.Version, suites) with { Groups = [group.Id], KeyShareGroups = [group.Id] };
            var reply = await session.ProbeAsync(spec, cancellationToken).ConfigureAwait(false);
            return (group, accepted: reply.Accepted && reply.Version == result.Version && (reply.Group is null || reply.Group == group.Id));
        }).ToArray();
        var outcomes = await Task.WhenAll(probes).ConfigureAwait(false);
        return outcomes.Where(o => o.accepted).Select(o => o.group).ToArray();
    }
}

using DbTls.Scan.Probe;

namespace DbTls.Scan;

/// <summary>
/// The groups the server accepts with one version, by elimination like the suites: offer every candidate, note the
/// one the server takes (TLS 1.3: its key share or the HelloRetryRequest's; below: the ServerKeyExchange's curve),
/// offer the rest, until it refuses. One probe per accepted group plus one, instead of one per candidate.
/// </summary>
internal static class GroupScan
{
    /// <summary>
    /// Runs as soon as the version is known to be accepted, beside its suite scan: it offers every suite of the version
    /// that can carry a group (below 1.3 the ECDHE ones), and the server can only choose among those it accepts, so
    /// the answer is the one an offer of the accepted suites alone would get.
    /// </summary>
    /// <param name="first">The version's first answer, to an offer of every suite and every group: when it names a
    /// group, that is the elimination's first step, already taken.</param>
    public static async Task<IReadOnlyList<NamedGroup>> RunAsync(ScanSession session, ushort version, ProbeReply first, CancellationToken cancellationToken)
    {
        var tls13 = version == TlsVersions.Tls13;
        // Below 1.3 a group is only chosen for an ECDHE suite, and only elliptic curves are negotiated this way.
        var suites = CipherSuite.ForVersion(version).Where(s => tls13 || s.Ecdhe).Select(s => s.Id).ToArray();
        var remaining = NamedGroup.Known.Where(g => tls13 || !g.IsFiniteField).ToList();
        var accepted = new HashSet<ushort>();
        if (first.Group is { } chosen && (tls13 || CipherSuite.Of(first.Suite).Ecdhe) && remaining.FindIndex(g => g.Id == chosen) is >= 0 and var index)
        {
            accepted.Add(chosen);
            remaining.RemoveAt(index);
        }

        while (remaining.Count > 0)
        {
            // A key share for the first candidate only: a server that takes another group says which in a HelloRetryRequest.
            var spec = session.Spec(version, suites) with
            {
                Groups = remaining.Select(g => g.Id).ToArray(),
                KeyShareGroups = tls13 ? [remaining[0].Id] : [],
                WantCertificate = !tls13,
            };
            // A chain of probes that wait on each other: with few suites it is the scan's longest path.
            var reply = await session.ProbeAsync(spec, cancellationToken, urgent: true).ConfigureAwait(false);
            var taken = reply.Accepted && reply.Version == version && reply.Group is { } id ? remaining.FindIndex(g => g.Id == id) : -1;
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

using DbTls.Scan.Probe;

namespace DbTls.Scan;

/// <summary>What one version accepts as signature algorithms: the schemes, or every scheme without looking.</summary>
internal sealed record SignatureAlgorithmResult(ushort Version, IReadOnlyList<SignatureScheme> Accepted, bool AcceptsAny);

/// <summary>
/// The signature algorithms the server accepts, one probe per scheme: a ClientHello that offers the version's accepted
/// suites and that one scheme alone, answered by a ServerHello (accepted) or a refusal. Elimination cannot shorten it:
/// under TLS 1.3 the scheme the server signs with travels encrypted in CertificateVerify. As sslscan does, TLS 1.3 is
/// scanned when accepted and, of the versions below, the highest accepted one; an unassigned scheme is tried first,
/// and a server that accepts it is reported as accepting any offer.
/// </summary>
internal static class SignatureAlgorithmScan
{
    /// <summary>The versions to scan: TLS 1.3, and the highest accepted below it.</summary>
    public static IEnumerable<VersionResult> VersionsToScan(IReadOnlyList<VersionResult> versions)
    {
        var accepted = versions.Where(v => v.Accepted && v.Version >= TlsVersions.Tls10).OrderByDescending(v => v.Version).ToList();
        var tls13 = accepted.FirstOrDefault(v => v.Version == TlsVersions.Tls13);
        var below = accepted.FirstOrDefault(v => v.Version < TlsVersions.Tls13);
        return new[] { tls13, below }.OfType<VersionResult>();
    }

    public static async Task<IReadOnlyList<SignatureAlgorithmResult>> RunAsync(ScanSession session, IReadOnlyList<VersionResult> versions, CancellationToken cancellationToken)
    {
        var scans = VersionsToScan(versions).Select(v => RunAsync(session, v, cancellationToken)).ToArray();
        return await Task.WhenAll(scans).ConfigureAwait(false);
    }

    private static async Task<SignatureAlgorithmResult> RunAsync(ScanSession session, VersionResult version, CancellationToken cancellationToken)
    {
        if (await AcceptsAsync(session, version, SignatureScheme.Unassigned, cancellationToken).ConfigureAwait(false))
        {
            return new SignatureAlgorithmResult(version.Version, [], AcceptsAny: true);
        }

        var probes = SignatureScheme.Known.Select(s => AcceptsAsync(session, version, s, cancellationToken)).ToArray();
        var answers = await Task.WhenAll(probes).ConfigureAwait(false);
        return new SignatureAlgorithmResult(version.Version, [.. SignatureScheme.Known.Where((_, i) => answers[i])], AcceptsAny: false);
    }

    private static async Task<bool> AcceptsAsync(ScanSession session, VersionResult version, SignatureScheme scheme, CancellationToken cancellationToken)
    {
        var spec = session.Spec(version.Version, version.Suites) with { SignatureAlgorithms = [scheme.Id] };
        var reply = await session.ProbeAsync(spec, cancellationToken).ConfigureAwait(false);
        return reply.Kind is ProbeReplyKind.ServerHello or ProbeReplyKind.HelloRetryRequest && reply.Version == version.Version;
    }
}

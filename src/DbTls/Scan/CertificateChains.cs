using DbTls.Scan.Probe;

namespace DbTls.Scan;

/// <summary>
/// The chains of a server configured with certificates of several key types (an RSA and an ECDSA certificate side by
/// side, as OpenSSL, mongod and Schannel allow): the version's first answer shows one; for each other key type that
/// some accepted TLS 1.2 suite needs, one probe offering only those suites asks for the chain that goes with them.
/// A server with one certificate accepts suites of one key type only, so it costs nothing. TLS 1.3 picks the
/// certificate by signature algorithm instead and is not probed.
/// </summary>
internal static class CertificateChains
{
    /// <returns>The other chains, by key type, leaf first.</returns>
    public static async Task<IReadOnlyList<(string Key, IReadOnlyList<byte[]> Chain)>> OthersAsync(ScanSession session, VersionResult version, ushort shownSuite, CancellationToken cancellationToken)
    {
        var shown = CipherSuite.Of(shownSuite).CertificateKey;
        var others = version.Suites
            .GroupBy(id => CipherSuite.Of(id).CertificateKey)
            .Where(g => g.Key is not null && g.Key != shown)
            .ToArray();
        var probes = others.Select(async group =>
        {
            var spec = session.Spec(version.Version, group) with { WantCertificate = true };
            var reply = await session.ProbeAsync(spec, cancellationToken).ConfigureAwait(false);
            return (Key: group.Key!, Chain: reply.Accepted && reply.Certificates.Count > 0 ? reply.Certificates : null);
        });
        var chains = await Task.WhenAll(probes).ConfigureAwait(false);
        return [.. chains.Where(c => c.Chain is not null).Select(c => (c.Key, (IReadOnlyList<byte[]>)c.Chain!))];
    }
}

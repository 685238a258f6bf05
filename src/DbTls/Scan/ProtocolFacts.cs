using DbTls.Scan.Probe;

namespace DbTls.Scan;

/// <summary>The database facts next to the TLS ones: what the server does before TLS and on its other TLS path.</summary>
internal static class ProtocolFacts
{
    public static async Task GatherAsync(ScanSession session, ScanReport report, CancellationToken cancellationToken)
    {
        switch (session.Protocol)
        {
            case ScanProtocol.Postgres or ScanProtocol.PostgresDirect:
                report.Postgres = await PostgresFacts.GatherAsync(session, cancellationToken).ConfigureAwait(false);
                break;
            case ScanProtocol.Tds or ScanProtocol.TdsStrict:
                report.Tds = await TdsFacts.GatherAsync(session, cancellationToken).ConfigureAwait(false);
                break;
            case ScanProtocol.Mongo:
                report.Mongo = await MongoFacts.GatherAsync(session, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// Whether <paramref name="path"/> takes a ClientHello offering <paramref name="alpn"/>: TLS 1.3 first, then
    /// TLS 1.2, each offering every suite of its version.
    /// </summary>
    public static async Task<bool> AcceptsAsync(ScanSession session, ScanProtocol path, IReadOnlyList<string> alpn, CancellationToken cancellationToken)
    {
        foreach (var version in new[] { TlsVersions.Tls13, TlsVersions.Tls12 })
        {
            var spec = session.Spec(version, CipherSuite.ForVersion(version).Select(s => s.Id)) with { Alpn = alpn };
            var reply = await session.ProbeAsync(path, spec, cancellationToken).ConfigureAwait(false);
            if (reply.Accepted)
            {
                return true;
            }
        }

        return false;
    }
}

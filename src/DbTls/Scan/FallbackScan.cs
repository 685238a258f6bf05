using DbTls.Scan.Probe;

namespace DbTls.Scan;

/// <summary>
/// TLS_FALLBACK_SCSV (RFC 7507): whether the server refuses a client that says it fell back to a lower version than
/// it could speak. One probe, as sslscan makes it: the version just below the highest one accepted, with every suite
/// of that version and the SCSV; a server that supports it answers inappropriate_fallback (86). Under TLS 1.3 the
/// ServerHello's downgrade sentinel does the same job, but TLS 1.2 and older clients depend on the SCSV.
/// </summary>
internal static class FallbackScan
{
    /// <summary>The signalling suite value of RFC 7507.</summary>
    public const ushort Scsv = 0x5600;

    private const byte InappropriateFallback = 86;

    /// <returns>True when supported, false when the server accepted the fallback, null when it cannot be told (nothing above TLS 1.0, or no decisive answer).</returns>
    public static async Task<bool?> RunAsync(ScanSession session, IReadOnlyList<VersionResult> versions, CancellationToken cancellationToken)
    {
        var highest = versions.Where(v => v.Accepted).Select(v => v.Version).DefaultIfEmpty((ushort)0).Max();
        if (highest <= TlsVersions.Tls10)
        {
            return null;
        }

        var lower = (ushort)(highest - 1);
        var spec = session.Spec(lower, [.. CipherSuite.ForVersion(lower).Select(s => s.Id), Scsv]);
        var reply = await session.ProbeAsync(spec, cancellationToken).ConfigureAwait(false);
        return reply.Kind switch
        {
            ProbeReplyKind.Alert => reply.AlertDescription == InappropriateFallback ? true : null,
            ProbeReplyKind.ServerHello => false,
            _ => null,
        };
    }
}

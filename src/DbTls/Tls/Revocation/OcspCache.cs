using System.Collections.Concurrent;

namespace DbTls.Tls.Revocation;

/// <summary>
/// The in-process OCSP cache the specification suggests: keyed by the CertID of the request (SHA-1
/// issuer name hash, issuer key hash, serial number), holding only conclusive answers (good or revoked)
/// that carry a nextUpdate, each valid while thisUpdate &lt;= now &lt; nextUpdate. A fresher answer (later
/// nextUpdate) replaces an older one.
/// </summary>
internal sealed class OcspCache
{
    /// <summary>Entries beyond this are dropped, oldest nextUpdate first; a diagnostic tool meets few servers.</summary>
    public const int Capacity = 256;

    private readonly ConcurrentDictionary<string, OcspAnswer> _entries = new(StringComparer.Ordinal);

    /// <summary>The cache every connection of this process shares, as a driver's MongoClient would.</summary>
    public static OcspCache Shared { get; } = new();

    public int Count => _entries.Count;

    public OcspAnswer? Get(string certId, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(certId, out var answer))
        {
            return null;
        }

        if (answer.ThisUpdate <= now && answer.NextUpdate is { } next && now < next)
        {
            return answer;
        }

        _entries.TryRemove(new KeyValuePair<string, OcspAnswer>(certId, answer));
        return null;
    }

    public void Put(string certId, OcspAnswer answer)
    {
        if (!answer.IsConclusive || answer.NextUpdate is null)
        {
            return;
        }

        _entries.AddOrUpdate(certId, answer, (_, old) => old.NextUpdate >= answer.NextUpdate ? old : answer);
        while (_entries.Count > Capacity)
        {
            var oldest = _entries.MinBy(e => e.Value.NextUpdate);
            _entries.TryRemove(oldest);
        }
    }

    public void Clear() => _entries.Clear();
}

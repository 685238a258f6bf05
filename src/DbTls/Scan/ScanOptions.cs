namespace DbTls.Scan;

public sealed record ScanOptions
{
    /// <summary>null: detect from what answers an SSLRequest, a PRELOGIN, a ClientHello.</summary>
    public ScanProtocol? Protocol { get; init; }

    /// <summary>The limit for one probe (connect, way in, ClientHello to decisive answer).</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>At most this many probe connections at a time.</summary>
    public int Concurrency { get; init; } = 6;

    /// <summary>A profile name from <see cref="Profiles.ScanProfiles.Names"/> to grade against; its shortfalls decide the exit code.</summary>
    public string? Profile { get; init; }

    /// <summary>
    /// Also scan the signature algorithms the server accepts (TLS 1.3 and the highest version below it), one probe per
    /// scheme as sslscan --show-sigs does: about 60 more connections, so not by default.
    /// </summary>
    public bool SignatureAlgorithms { get; init; }

    /// <summary>Where to write each probe connection's timing when the scan ends (bench/README.md); null: no trace.</summary>
    public TextWriter? Trace { get; init; }
}

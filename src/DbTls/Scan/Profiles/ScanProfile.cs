using DbTls.Scan.Probe;

namespace DbTls.Scan.Profiles;

/// <summary>
/// A named TLS configuration guideline as data: the versions it allows and requires, the suites and groups it
/// allows (null: any the other rules let through), whether key exchange must be forward secret, the smallest RSA key.
/// <see cref="OpenSslCiphers"/>, <see cref="OpenSslGroups"/> are the same lists in OpenSSL's syntax, for remedies.
/// </summary>
internal sealed record ScanProfile
{
    public required string Name { get; init; }

    /// <summary>The guideline and the version of it that is encoded here.</summary>
    public required string Guideline { get; init; }

    public required IReadOnlySet<ushort> AllowedVersions { get; init; }

    /// <summary>Versions the server must accept (NIST: TLS 1.3 since 2024; Mozilla modern: TLS 1.3).</summary>
    public IReadOnlySet<ushort> RequiredVersions { get; init; } = new HashSet<ushort>();

    /// <summary>IANA names; null allows every suite that is not weak and meets <see cref="ForwardSecrecy"/>.</summary>
    public IReadOnlySet<string>? AllowedSuites { get; init; }

    /// <summary>Group names as the scan reports them; null allows any.</summary>
    public IReadOnlySet<string>? AllowedGroups { get; init; }

    public bool ForwardSecrecy { get; init; }

    public int MinimumRsaBits { get; init; } = 2048;

    public string? OpenSslCiphers { get; init; }

    public string? OpenSslTls13Suites { get; init; }

    public string? OpenSslGroups { get; init; }

    public ushort MinimumVersion => AllowedVersions.Min();

    public bool Allows(CipherSuite suite) =>
        AllowedSuites?.Contains(suite.Name) ?? (!ScanFindings.Weak(suite) && (!ForwardSecrecy || suite.ForwardSecret));
}

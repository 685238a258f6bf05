using System.Collections.Frozen;
using DbTls.Scan.Probe;

namespace DbTls.Scan.Profiles;

/// <summary>
/// The profiles <c>dbtls scan --profile NAME</c> grades against. Versions encoded:
/// Mozilla Server Side TLS 5.7 (2023-07, https://wiki.mozilla.org/Security/Server_Side_TLS) for modern, intermediate
/// and old; NIST SP 800-52 Revision 2 (2019-08, with its TLS 1.3 requirement from 2024-01-01) for nist;
/// RFC 8996 (2021-03, TLS 1.0 and 1.1 deprecated) together with RFC 7568 (SSLv3) for rfc8996.
/// </summary>
public static class ScanProfiles
{
    private static readonly string[] Tls13Mozilla = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"];

    private static readonly string[] IntermediateTls12 =
    [
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    ];

    private static readonly string[] OldExtra =
    [
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
        "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256",
        "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    ];

    private static readonly string[] MozillaGroups = ["x25519", "secp256r1", "secp384r1"];

    private const string Tls13MozillaOpenSsl = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

    private const string MozillaOpenSslGroups = "X25519:prime256v1:secp384r1";

    private const string IntermediateOpenSsl = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";

    private static readonly ScanProfile[] Ordered =
    [
        new()
        {
            Name = "mozilla-modern",
            Guideline = "Mozilla Server Side TLS 5.7, modern",
            AllowedVersions = Set(TlsVersions.Tls13),
            RequiredVersions = Set(TlsVersions.Tls13),
            AllowedSuites = NameSet(Tls13Mozilla),
            AllowedGroups = NameSet(MozillaGroups),
            ForwardSecrecy = true,
            OpenSslTls13Suites = Tls13MozillaOpenSsl,
            OpenSslGroups = MozillaOpenSslGroups,
        },
        new()
        {
            Name = "mozilla-intermediate",
            Guideline = "Mozilla Server Side TLS 5.7, intermediate",
            AllowedVersions = Set(TlsVersions.Tls12, TlsVersions.Tls13),
            AllowedSuites = NameSet([.. Tls13Mozilla, .. IntermediateTls12]),
            AllowedGroups = NameSet([.. MozillaGroups, "ffdhe2048", "ffdhe3072", "ffdhe4096"]),
            ForwardSecrecy = true,
            OpenSslCiphers = IntermediateOpenSsl,
            OpenSslTls13Suites = Tls13MozillaOpenSsl,
            OpenSslGroups = MozillaOpenSslGroups,
        },
        new()
        {
            Name = "mozilla-old",
            Guideline = "Mozilla Server Side TLS 5.7, old",
            AllowedVersions = Set(TlsVersions.Tls10, TlsVersions.Tls11, TlsVersions.Tls12, TlsVersions.Tls13),
            AllowedSuites = NameSet([.. Tls13Mozilla, .. IntermediateTls12, .. OldExtra]),
            AllowedGroups = NameSet([.. MozillaGroups, "ffdhe2048", "ffdhe3072", "ffdhe4096"]),
            OpenSslCiphers = IntermediateOpenSsl + ":ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA:DHE-RSA-AES128-SHA256:DHE-RSA-AES256-SHA256:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA:DES-CBC3-SHA",
            OpenSslTls13Suites = Tls13MozillaOpenSsl,
            OpenSslGroups = MozillaOpenSslGroups,
        },
        new()
        {
            // SP 800-52r2 3.3.1: ephemeral (EC)DH with AES in GCM, CCM or CBC mode; TLS 1.3 with AES-GCM or AES-CCM
            // (ChaCha20 is not an approved algorithm); groups from SP 800-56A (NIST curves, FFDHE), not X25519 in r2.
            Name = "nist",
            Guideline = "NIST SP 800-52 Rev. 2 (TLS 1.3 required from 2024-01-01)",
            AllowedVersions = Set(TlsVersions.Tls12, TlsVersions.Tls13),
            RequiredVersions = Set(TlsVersions.Tls12, TlsVersions.Tls13),
            AllowedSuites = NameSet(
            [
                "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256",
                .. Combine(["TLS_ECDHE_ECDSA_WITH_", "TLS_ECDHE_RSA_WITH_"],
                    ["AES_128_GCM_SHA256", "AES_256_GCM_SHA384", "AES_128_CBC_SHA256", "AES_256_CBC_SHA384", "AES_128_CBC_SHA", "AES_256_CBC_SHA"]),
                .. Combine(["TLS_DHE_RSA_WITH_"], ["AES_128_GCM_SHA256", "AES_256_GCM_SHA384", "AES_128_CBC_SHA256", "AES_256_CBC_SHA256", "AES_128_CBC_SHA", "AES_256_CBC_SHA"]),
                "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8",
                "TLS_DHE_RSA_WITH_AES_128_CCM", "TLS_DHE_RSA_WITH_AES_256_CCM", "TLS_DHE_RSA_WITH_AES_128_CCM_8", "TLS_DHE_RSA_WITH_AES_256_CCM_8",
            ]),
            AllowedGroups = NameSet(["secp256r1", "secp384r1", "secp521r1", "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192"]),
            ForwardSecrecy = true,
            OpenSslCiphers = "ECDHE+AESGCM:ECDHE+AESCCM:DHE+AESGCM:DHE+AESCCM:ECDHE+AES:DHE+AES:!aNULL:!ARIA:!CAMELLIA:!PSK",
            OpenSslTls13Suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_AES_128_CCM_SHA256",
            OpenSslGroups = "prime256v1:secp384r1:secp521r1",
        },
        new()
        {
            Name = "rfc8996",
            Guideline = "RFC 8996 (TLS 1.0 and 1.1 deprecated) and RFC 7568 (SSLv3 deprecated)",
            AllowedVersions = Set(TlsVersions.Tls12, TlsVersions.Tls13),
            MinimumRsaBits = 0,
        },
    ];

    internal static readonly FrozenDictionary<string, ScanProfile> All = Ordered.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);

    /// <summary>The names <c>--profile</c> takes, strictest Mozilla profile first.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Ordered.Select(p => p.Name)];

    internal static ScanProfile? Find(string? name) => name is not null && All.TryGetValue(name, out var profile) ? profile : null;

    private static HashSet<ushort> Set(params ushort[] versions) => [.. versions];

    private static FrozenSet<string> NameSet(IEnumerable<string> names) => names.ToFrozenSet(StringComparer.Ordinal);

    private static IEnumerable<string> Combine(string[] prefixes, string[] rests) => prefixes.SelectMany(p => rests.Select(r => p + r));
}

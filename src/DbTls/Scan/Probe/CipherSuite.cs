using System.Collections.Frozen;

namespace DbTls.Scan.Probe;

/// <summary>One cipher suite by IANA code point and name; its properties are read from the IANA name, which spells them out.</summary>
public readonly record struct CipherSuite(ushort Id, string Name)
{
    private static readonly FrozenDictionary<ushort, CipherSuite> ById = CipherSuiteTable.All.ToFrozenDictionary(s => s.Id);

    /// <summary>The TLS 1.3 suites (0x13xx) name only the AEAD and hash; key exchange is separate.</summary>
    public bool IsTls13 => Id >> 8 == 0x13;

    /// <summary>Ephemeral (EC)DH, or TLS 1.3 (always ephemeral): a stolen server key does not decrypt recorded traffic.</summary>
    public bool ForwardSecret => IsTls13 || Has("_DHE_") || Has("_ECDHE_");

    /// <summary>Elliptic-curve ephemeral key exchange below TLS 1.3: the ServerKeyExchange names the curve.</summary>
    public bool Ecdhe => Has("_ECDHE_");

    public bool Cbc => Has("_CBC_");

    public bool Rc4 => Has("_RC4_");

    public bool TripleDes => Has("3DES");

    public bool NullCipher => Has("_WITH_NULL_");

    public bool Export => Has("EXPORT");

    /// <summary>Anonymous key exchange: no server authentication at all.</summary>
    public bool Anonymous => Has("_anon_");

    /// <summary>
    /// The key type the server's certificate must have for this suite below TLS 1.3: <c>ECDSA</c>, <c>RSA</c> or <c>DSA</c>;
    /// null for TLS 1.3 suites (the signature algorithm decides there), anonymous and PSK suites.
    /// </summary>
    public string? CertificateKey =>
        IsTls13 || Anonymous || Has("PSK") || Has("SRP") ? null
        : Has("_ECDSA_") ? "ECDSA"
        : Has("_DSS_") ? "DSA"
        : Has("_RSA_") ? "RSA"
        : null;

    /// <summary>The suite the table knows for a code point, or one named by its number.</summary>
    public static CipherSuite Of(ushort id) => ById.TryGetValue(id, out var suite) ? suite : new CipherSuite(id, $"0x{id:X4}");

    /// <summary>The suites a probe for this version may offer (TLS 1.3 suites only in 1.3, the others only below).</summary>
    public static IReadOnlyList<CipherSuite> ForVersion(ushort version) =>
        CipherSuiteTable.All.Where(s => s.IsTls13 == (version == TlsVersions.Tls13)).ToArray();

    private bool Has(string part) => Name.Contains(part, StringComparison.Ordinal);
}

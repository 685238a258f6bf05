namespace DbTls.Scan.Probe;

/// <summary>What one probe offers. <see cref="Version"/> is the highest version offered; TLS 1.3 is offered only through supported_versions.</summary>
public sealed record ClientHelloSpec
{
    public required ushort Version { get; init; }

    /// <summary>Offered in this order: the order matters when the server follows the client's preference.</summary>
    public required IReadOnlyList<ushort> Suites { get; init; }

    /// <summary>Every known group by default, so that no probe for a suite fails for want of a group the server insists on.</summary>
    public IReadOnlyList<ushort> Groups { get; init; } = NamedGroup.Known.Select(g => g.Id).ToArray();

    /// <summary>Groups to send a TLS 1.3 key share for (each must also be in <see cref="Groups"/>); only for TLS 1.3.</summary>
    public IReadOnlyList<ushort> KeyShareGroups { get; init; } = [NamedGroup.X25519.Id, NamedGroup.Secp256r1.Id];

    public IReadOnlyList<ushort> SignatureAlgorithms { get; init; } = DefaultSignatureAlgorithms;

    /// <summary>SNI host name; null for an IP address (RFC 6066 forbids literal addresses in SNI).</summary>
    public string? ServerName { get; init; }

    public IReadOnlyList<string> Alpn { get; init; } = [];

    /// <summary>Whether to ask for the server's first flight up to ServerHelloDone (the certificate in TLS ≤ 1.2).</summary>
    public bool WantCertificate { get; init; }

    /// <summary>
    /// ECDSA, RSA-PSS, EdDSA and RSA PKCS#1 with SHA-2 and SHA-1: broad enough that no server refuses a probe for
    /// want of a signature algorithm, so a refusal means the version or suite.
    /// </summary>
    public static readonly ushort[] DefaultSignatureAlgorithms =
    [
        0x0403, 0x0503, 0x0603, // ecdsa_secp256r1_sha256, secp384r1_sha384, secp521r1_sha512
        0x0807, 0x0808,         // ed25519, ed448
        0x0804, 0x0805, 0x0806, // rsa_pss_rsae_sha256/384/512
        0x0809, 0x080A, 0x080B, // rsa_pss_pss_sha256/384/512
        0x0401, 0x0501, 0x0601, // rsa_pkcs1_sha256/384/512
        0x0303, 0x0301, 0x0302, // ecdsa, rsa, dsa with sha224
        0x0203, 0x0201, 0x0202, // sha1 ecdsa, rsa, dsa
        0x0402, 0x0502, 0x0602, // dsa with sha2
    ];
}

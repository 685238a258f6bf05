namespace DbTls.Scan.Probe;

/// <summary>A TLS "signature_algorithms" code point (RFC 8446 SignatureScheme; below 0x0700 the TLS 1.2 hash/signature pair).</summary>
internal readonly record struct SignatureScheme(ushort Id, string Name)
{
    /// <summary>
    /// An unassigned code point: a server that accepts it alone accepts any offer without looking, so the other
    /// answers say nothing about what it can sign with.
    /// </summary>
    public static readonly SignatureScheme Unassigned = new(0xFDFF, "unassigned");

    /// <summary>
    /// The schemes a scan asks about, by IANA name: every hash/signature pair TLS 1.2 defined (including the ones no
    /// server should accept: no hash, MD5, SHA-1, DSA) and every TLS 1.3 scheme for RSA, ECDSA and EdDSA keys.
    /// </summary>
    public static readonly SignatureScheme[] Known =
    [
        new(0x0001, "rsa_pkcs1_nohash"),
        new(0x0002, "dsa_nohash"),
        new(0x0003, "ecdsa_nohash"),
        new(0x0101, "rsa_pkcs1_md5"),
        new(0x0102, "dsa_md5"),
        new(0x0103, "ecdsa_md5"),
        new(0x0201, "rsa_pkcs1_sha1"),
        new(0x0202, "dsa_sha1"),
        new(0x0203, "ecdsa_sha1"),
        new(0x0301, "rsa_pkcs1_sha224"),
        new(0x0302, "dsa_sha224"),
        new(0x0303, "ecdsa_sha224"),
        new(0x0401, "rsa_pkcs1_sha256"),
        new(0x0402, "dsa_sha256"),
        new(0x0403, "ecdsa_secp256r1_sha256"),
        new(0x0501, "rsa_pkcs1_sha384"),
        new(0x0502, "dsa_sha384"),
        new(0x0503, "ecdsa_secp384r1_sha384"),
        new(0x0601, "rsa_pkcs1_sha512"),
        new(0x0602, "dsa_sha512"),
        new(0x0603, "ecdsa_secp521r1_sha512"),
        new(0x0804, "rsa_pss_rsae_sha256"),
        new(0x0805, "rsa_pss_rsae_sha384"),
        new(0x0806, "rsa_pss_rsae_sha512"),
        new(0x0807, "ed25519"),
        new(0x0808, "ed448"),
        new(0x0809, "rsa_pss_pss_sha256"),
        new(0x080A, "rsa_pss_pss_sha384"),
        new(0x080B, "rsa_pss_pss_sha512"),
    ];

    /// <summary>The scheme of a code point; an unknown one is named by its number.</summary>
    public static SignatureScheme Of(ushort id)
    {
        foreach (var scheme in Known)
        {
            if (scheme.Id == id)
            {
                return scheme;
            }
        }

        return new SignatureScheme(id, $"0x{id:X4}");
    }

    /// <summary>Weak: no hash, MD5, SHA-1 (RFC 9155 forbids them in TLS 1.2 signatures) or DSA.</summary>
    public bool IsWeak => (Id >> 8) is 0x00 or 0x01 or 0x02 || (Id < 0x0700 && (Id & 0xFF) == 0x02);
}

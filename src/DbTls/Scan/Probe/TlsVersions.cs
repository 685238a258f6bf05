namespace DbTls.Scan.Probe;

/// <summary>Protocol versions as they appear on the wire.</summary>
public static class TlsVersions
{
    public const ushort Ssl3 = 0x0300;
    public const ushort Tls10 = 0x0301;
    public const ushort Tls11 = 0x0302;
    public const ushort Tls12 = 0x0303;
    public const ushort Tls13 = 0x0304;

    /// <summary>Oldest first, the order reports list them.</summary>
    public static readonly ushort[] Scanned = [Ssl3, Tls10, Tls11, Tls12, Tls13];

    public static string Name(ushort version) => version switch
    {
        Ssl3 => "SSLv3",
        Tls10 => "TLSv1.0",
        Tls11 => "TLSv1.1",
        Tls12 => "TLSv1.2",
        Tls13 => "TLSv1.3",
        _ => $"0x{version:X4}",
    };

    public static bool TryParse(string name, out ushort version)
    {
        foreach (var v in Scanned)
        {
            if (string.Equals(Name(v), name, StringComparison.OrdinalIgnoreCase))
            {
                version = v;
                return true;
            }
        }

        version = 0;
        return false;
    }
}

/// <summary>Numbers of the TLS record and handshake layers the probe needs.</summary>
internal static class TlsWire
{
    public const byte ChangeCipherSpec = 20;
    public const byte Alert = 21;
    public const byte Handshake = 22;
    public const byte ApplicationData = 23;

    public const byte ClientHello = 1;
    public const byte ServerHello = 2;
    public const byte Certificate = 11;
    public const byte ServerKeyExchange = 12;
    public const byte CertificateRequest = 13;
    public const byte ServerHelloDone = 14;
    public const byte CertificateStatus = 22;

    public const ushort ExtServerName = 0;
    public const ushort ExtStatusRequest = 5;
    public const ushort ExtSupportedGroups = 10;
    public const ushort ExtEcPointFormats = 11;
    public const ushort ExtSignatureAlgorithms = 13;
    public const ushort ExtAlpn = 16;
    public const ushort ExtExtendedMasterSecret = 23;
    public const ushort ExtSessionTicket = 35;
    public const ushort ExtSupportedVersions = 43;
    public const ushort ExtKeyShare = 51;
    public const ushort ExtRenegotiationInfo = 0xFF01;

    /// <summary>The largest record body TLS allows (2^14 plus the 2048 bytes of expansion TLS 1.2 permits).</summary>
    public const int MaxRecordBody = 16384 + 2048;

    /// <summary>SHA-256("HelloRetryRequest"): the ServerHello random that marks a HelloRetryRequest (RFC 8446 4.1.3).</summary>
    public static ReadOnlySpan<byte> HelloRetryRandom =>
    [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ];
}

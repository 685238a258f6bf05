namespace DbTls.Wire.Tds;

/// <summary>
/// TDS protocol versions as the 32-bit numbers of MS-TDS. LOGIN7 carries them little-endian,
/// LOGINACK big-endian (a historical quirk the spec keeps).
/// </summary>
internal static class TdsVersions
{
    public const uint V7_0 = 0x70000000;
    public const uint V7_1 = 0x71000001;
    public const uint V7_2 = 0x72090002;
    public const uint V7_3A = 0x730A0003;
    public const uint V7_3B = 0x730B0003;
    public const uint V7_4 = 0x74000004;

    /// <summary>TDS 8.0: TLS first, negotiated with ALPN <see cref="Tds8Alpn"/>.</summary>
    public const uint V8_0 = 0x08000000;

    public const string Tds8Alpn = "tds/8.0";

    /// <summary>Whether LOGIN7 has the 7.2 fields (ibChangePassword, cbSSPILong): 7.2 to 7.4 and 8.0.</summary>
    public static bool HasLogin72Fields(uint version) => version == V8_0 || version >= V7_2;

    /// <summary>Whether SQLBatch and RPC carry ALL_HEADERS (TDS 7.2 and later).</summary>
    public static bool HasAllHeaders(uint version) => HasLogin72Fields(version);

    public static string Describe(uint version) => version switch
    {
        V7_0 => "7.0",
        V7_1 => "7.1",
        V7_2 => "7.2",
        V7_3A => "7.3A",
        V7_3B => "7.3B",
        V7_4 => "7.4",
        V8_0 => "8.0",
        _ => $"0x{version:X8}",
    };
}

namespace DbTls.Wire.Tds;

/// <summary>TYPE_INFO type bytes (MS-TDS 2.2.5.4) that the codec reads and writes.</summary>
internal static class TdsDataType
{
    // Fixed-length types.
    public const byte Null = 0x1F;
    public const byte Int1 = 0x30;
    public const byte Bit = 0x32;
    public const byte Int2 = 0x34;
    public const byte Int4 = 0x38;
    public const byte DateTime4 = 0x3A;
    public const byte Float4 = 0x3B;
    public const byte DateTime = 0x3D;
    public const byte Float8 = 0x3E;
    public const byte Int8 = 0x7F;

    // One-byte length types.
    public const byte Guid = 0x24;
    public const byte IntN = 0x26;
    public const byte BitN = 0x68;
    public const byte FloatN = 0x6D;
    public const byte DateTimeN = 0x6F;

    // Two-byte length types.
    public const byte BigVarBinary = 0xA5;
    public const byte BigVarChar = 0xA7;
    public const byte BigBinary = 0xAD;
    public const byte BigChar = 0xAF;
    public const byte NVarChar = 0xE7;
    public const byte NChar = 0xEF;

    /// <summary>The value size of a fixed-length type, or -1.</summary>
    public static int FixedSize(byte type) => type switch
    {
        Null => 0,
        Int1 or Bit => 1,
        Int2 => 2,
        Int4 or DateTime4 or Float4 => 4,
        DateTime or Float8 or Int8 => 8,
        _ => -1,
    };

    public static bool HasByteLength(byte type) => type is Guid or IntN or BitN or FloatN or DateTimeN;

    public static bool HasUShortLength(byte type) => type is BigVarBinary or BigVarChar or BigBinary or BigChar or NVarChar or NChar;

    public static bool HasCollation(byte type) => type is BigVarChar or BigChar or NVarChar or NChar;
}

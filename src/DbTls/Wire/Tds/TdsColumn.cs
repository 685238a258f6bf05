namespace DbTls.Wire.Tds;

/// <summary>TYPE_INFO of one column: the type byte, its declared length and, for character types, the collation.</summary>
internal sealed record TdsTypeInfo(byte DataType, int MaxLength, TdsCollation? Collation = null)
{
    public static TdsTypeInfo Int() => new(TdsDataType.IntN, 4);

    public static TdsTypeInfo SmallInt() => new(TdsDataType.IntN, 2);

    public static TdsTypeInfo BigInt() => new(TdsDataType.IntN, 8);

    public static TdsTypeInfo Bit() => new(TdsDataType.BitN, 1);

    public static TdsTypeInfo DateTime() => new(TdsDataType.DateTimeN, 8);

    /// <summary>nvarchar(<paramref name="characters"/>): the declared length is in bytes.</summary>
    public static TdsTypeInfo NVarChar(int characters, TdsCollation? collation = null) =>
        new(TdsDataType.NVarChar, characters * 2, collation ?? TdsCollation.Default);

    public static TdsTypeInfo VarChar(int bytes, TdsCollation? collation = null) =>
        new(TdsDataType.BigVarChar, bytes, collation ?? TdsCollation.Default);
}

/// <summary>One column of COLMETADATA.</summary>
internal sealed record TdsColumn(string Name, TdsTypeInfo TypeInfo, ushort Flags = TdsColumn.NullableFlag, uint UserType = 0)
{
    public const ushort NullableFlag = 0x0001;
}

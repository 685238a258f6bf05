using System.Buffers.Binary;
using System.Text;

namespace DbTls.Wire.Tds;

/// <summary>
/// The 5-byte COLLATION of MS-TDS 2.2.5.1.2: LCID (20 bits), comparison flags, UTF-8 flag and
/// version in the first four bytes (little-endian), then the SQL sort id.
/// </summary>
internal readonly record struct TdsCollation(uint Info, byte SortId)
{
    public const int Size = 5;

    private const uint Utf8Flag = 1u << 26;

    /// <summary>SQL_Latin1_General_CP1_CI_AS, the default of a US English installation.</summary>
    public static TdsCollation Default { get; } = new(0x00D00409, 0x34);

    public int Lcid => (int)(Info & 0xFFFFF);

    public bool IsUtf8 => (Info & Utf8Flag) != 0;

    public static TdsCollation Read(ReadOnlySpan<byte> data) => new(BinaryPrimitives.ReadUInt32LittleEndian(data), data[4]);

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Info);
        destination[4] = SortId;
    }

    /// <summary>
    /// The encoding of non-Unicode (varchar) values. The code page follows the LCID's language; for
    /// SQL collations (sort id set) this is an approximation that is right for the Latin ones.
    /// </summary>
    public Encoding GetEncoding()
    {
        if (IsUtf8)
        {
            return Encoding.UTF8;
        }

        var codePage = CodePageForLcid(Lcid);
        return CodePagesEncodingProvider.Instance.GetEncoding(codePage) ?? Encoding.Latin1;
    }

    private static int CodePageForLcid(int lcid) => lcid switch
    {
        0x0404 or 0x0C04 or 0x1404 => 950,
        0x0804 or 0x1004 => 936,
        0x0411 => 932,
        0x0412 => 949,
        0x041E => 874,
        0x042A => 1258,
        _ => (lcid & 0x3FF) switch
        {
            0x01 => 1256,
            0x05 or 0x0E or 0x15 or 0x18 or 0x1A or 0x1B or 0x1C or 0x24 => 1250,
            0x02 or 0x19 or 0x22 or 0x23 or 0x2F => 1251,
            0x08 => 1253,
            0x1F => 1254,
            0x0D => 1255,
            0x25 or 0x26 or 0x27 => 1257,
            _ => 1252,
        },
    };
}

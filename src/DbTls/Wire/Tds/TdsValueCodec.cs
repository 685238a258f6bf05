using System.Buffers.Binary;
using System.Text;

namespace DbTls.Wire.Tds;

/// <summary>Reads and writes TYPE_INFO and column values for the types dbtls needs.</summary>
internal static class TdsValueCodec
{
    private static readonly DateTime SqlEpoch = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public static TdsTypeInfo ReadTypeInfo(ref TdsSpanReader reader, string column)
    {
        var type = reader.ReadByte("type of column " + column);
        var fixedSize = TdsDataType.FixedSize(type);
        if (fixedSize >= 0)
        {
            return new TdsTypeInfo(type, fixedSize);
        }

        if (TdsDataType.HasByteLength(type))
        {
            var length = reader.ReadByte("length of column " + column);
            var valid = type switch
            {
                TdsDataType.IntN => length is 1 or 2 or 4 or 8,
                TdsDataType.BitN => length == 1,
                TdsDataType.FloatN => length is 4 or 8,
                TdsDataType.DateTimeN => length is 4 or 8,
                TdsDataType.Guid => length == 16,
                _ => false,
            };
            if (!valid)
            {
                throw TdsErrors.Violation($"COLMETADATA: column {column} of type 0x{type:X2} declares length {length}");
            }

            return new TdsTypeInfo(type, length);
        }

        if (TdsDataType.HasUShortLength(type))
        {
            var length = reader.ReadUInt16LittleEndian("length of column " + column);
            if (length == 0xFFFF)
            {
                throw TdsErrors.Violation($"COLMETADATA: column {column} is a (MAX) type, which dbtls does not read");
            }

            TdsCollation? collation = null;
            if (TdsDataType.HasCollation(type))
            {
                collation = TdsCollation.Read(reader.ReadBytes(TdsCollation.Size, "collation of column " + column));
            }

            return new TdsTypeInfo(type, length, collation);
        }

        throw TdsErrors.Violation($"COLMETADATA: column {column} has data type 0x{type:X2}, which dbtls does not read");
    }

    public static void WriteTypeInfo(Stream output, TdsTypeInfo info)
    {
        output.WriteByte(info.DataType);
        if (TdsDataType.FixedSize(info.DataType) >= 0)
        {
            return;
        }

        if (TdsDataType.HasByteLength(info.DataType))
        {
            output.WriteByte((byte)info.MaxLength);
            return;
        }

        Span<byte> buffer = stackalloc byte[2 + TdsCollation.Size];
        BinaryPrimitives.WriteUInt16LittleEndian(buffer, (ushort)info.MaxLength);
        if (TdsDataType.HasCollation(info.DataType))
        {
            (info.Collation ?? TdsCollation.Default).Write(buffer[2..]);
            output.Write(buffer);
        }
        else
        {
            output.Write(buffer[..2]);
        }
    }

    public static object? ReadValue(ref TdsSpanReader reader, TdsColumn column)
    {
        var info = column.TypeInfo;
        var fixedSize = TdsDataType.FixedSize(info.DataType);
        if (fixedSize >= 0)
        {
            return info.DataType == TdsDataType.Null ? null : Decode(info, reader.ReadBytes(fixedSize, "value of " + column.Name), column.Name);
        }

        int length;
        if (TdsDataType.HasByteLength(info.DataType))
        {
            length = reader.ReadByte("length of " + column.Name);
            if (length == 0)
            {
                return null;
            }
        }
        else
        {
            length = reader.ReadUInt16LittleEndian("length of " + column.Name);
            if (length == 0xFFFF)
            {
                return null;
            }
        }

        if (length > info.MaxLength)
        {
            throw TdsErrors.Violation($"ROW: value of {column.Name} has {length} bytes, its column declares at most {info.MaxLength}");
        }

        return Decode(info, reader.ReadBytes(length, "value of " + column.Name), column.Name);
    }

    private static object Decode(TdsTypeInfo info, ReadOnlySpan<byte> data, string name)
    {
        switch (info.DataType)
        {
            case TdsDataType.Int1:
            case TdsDataType.Int2:
            case TdsDataType.Int4:
            case TdsDataType.Int8:
            case TdsDataType.IntN:
                return data.Length switch
                {
                    // Boxed per arm: a switch expression would otherwise widen every arm to long.
                    1 => (object)data[0],
                    2 => (object)BinaryPrimitives.ReadInt16LittleEndian(data),
                    4 => (object)BinaryPrimitives.ReadInt32LittleEndian(data),
                    8 => (object)BinaryPrimitives.ReadInt64LittleEndian(data),
                    _ => throw TdsErrors.Violation($"ROW: integer {name} has {data.Length} bytes"),
                };
            case TdsDataType.Bit:
            case TdsDataType.BitN:
                return data.Length == 1 ? data[0] != 0 : throw TdsErrors.Violation($"ROW: bit {name} has {data.Length} bytes");
            case TdsDataType.Float4:
            case TdsDataType.Float8:
            case TdsDataType.FloatN:
                return data.Length switch
                {
                    4 => (double)BinaryPrimitives.ReadSingleLittleEndian(data),
                    8 => BinaryPrimitives.ReadDoubleLittleEndian(data),
                    _ => throw TdsErrors.Violation($"ROW: float {name} has {data.Length} bytes"),
                };
            case TdsDataType.DateTime:
            case TdsDataType.DateTime4:
            case TdsDataType.DateTimeN:
                return data.Length switch
                {
                    8 => DateTime8(BinaryPrimitives.ReadInt32LittleEndian(data), BinaryPrimitives.ReadUInt32LittleEndian(data[4..]), name),
                    4 => SqlEpoch.AddDays(BinaryPrimitives.ReadUInt16LittleEndian(data)).AddMinutes(BinaryPrimitives.ReadUInt16LittleEndian(data[2..])),
                    _ => throw TdsErrors.Violation($"ROW: datetime {name} has {data.Length} bytes"),
                };
            case TdsDataType.Guid:
                return data.Length == 16 ? new Guid(data) : throw TdsErrors.Violation($"ROW: uniqueidentifier {name} has {data.Length} bytes");
            case TdsDataType.NVarChar:
            case TdsDataType.NChar:
                return data.Length % 2 == 0 ? Encoding.Unicode.GetString(data) : throw TdsErrors.Violation($"ROW: nvarchar {name} has an odd number of bytes ({data.Length})");
            case TdsDataType.BigVarChar:
            case TdsDataType.BigChar:
                return (info.Collation ?? TdsCollation.Default).GetEncoding().GetString(data);
            default:
                return data.ToArray();
        }
    }

    /// <summary>
    /// DATETIME: days since 1900-01-01 and 1/300 s since midnight. A server's value outside SQL Server's
    /// range (1753-01-01 to 9999-12-31, less than a day) is refused before DateTime arithmetic throws
    /// (found by fuzz/, tds-tokens).
    /// </summary>
    private static DateTime DateTime8(int days, uint ticks300, string name)
    {
        const int MinDays = -53690;
        const int MaxDays = 2958463;
        const uint TicksPerDay = 300u * 60 * 60 * 24;
        if (days is < MinDays or > MaxDays || ticks300 >= TicksPerDay)
        {
            throw TdsErrors.Violation($"ROW: datetime {name} is out of range ({days} days, {ticks300}/300 s)");
        }

        return SqlEpoch.AddDays(days).AddTicks((long)Math.Round(ticks300 * (TimeSpan.TicksPerSecond / 300.0)));
    }

    public static void WriteValue(Stream output, TdsColumn column, object? value)
    {
        var info = column.TypeInfo;
        var encoded = value is null ? null : Encode(info, value, column.Name);
        if (TdsDataType.FixedSize(info.DataType) >= 0)
        {
            if (encoded is null || encoded.Length != info.MaxLength)
            {
                throw new ArgumentException($"column {column.Name} of a fixed-length type needs a value of {info.MaxLength} bytes");
            }

            output.Write(encoded);
            return;
        }

        if (encoded is not null && encoded.Length > info.MaxLength)
        {
            throw new ArgumentException($"value of column {column.Name} is longer than the column's {info.MaxLength} bytes");
        }

        if (TdsDataType.HasByteLength(info.DataType))
        {
            output.WriteByte((byte)(encoded?.Length ?? 0));
        }
        else
        {
            Span<byte> length = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(length, encoded is null ? (ushort)0xFFFF : (ushort)encoded.Length);
            output.Write(length);
        }

        if (encoded is not null)
        {
            output.Write(encoded);
        }
    }

    private static byte[] Encode(TdsTypeInfo info, object value, string name)
    {
        switch (info.DataType)
        {
            case TdsDataType.Int1:
            case TdsDataType.Int2:
            case TdsDataType.Int4:
            case TdsDataType.Int8:
            case TdsDataType.IntN:
                var number = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                var bytes = new byte[info.MaxLength];
                switch (info.MaxLength)
                {
                    case 1:
                        bytes[0] = checked((byte)number);
                        break;
                    case 2:
                        BinaryPrimitives.WriteInt16LittleEndian(bytes, checked((short)number));
                        break;
                    case 4:
                        BinaryPrimitives.WriteInt32LittleEndian(bytes, checked((int)number));
                        break;
                    default:
                        BinaryPrimitives.WriteInt64LittleEndian(bytes, number);
                        break;
                }

                return bytes;
            case TdsDataType.Bit:
            case TdsDataType.BitN:
                return [(byte)((bool)value ? 1 : 0)];
            case TdsDataType.DateTime:
            case TdsDataType.DateTimeN when info.MaxLength == 8:
                var time = (DateTime)value;
                var result = new byte[8];
                BinaryPrimitives.WriteInt32LittleEndian(result, (time.Date - SqlEpoch).Days);
                BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)Math.Round(time.TimeOfDay.Ticks / (TimeSpan.TicksPerSecond / 300.0)));
                return result;
            case TdsDataType.NVarChar:
            case TdsDataType.NChar:
                return Encoding.Unicode.GetBytes((string)value);
            case TdsDataType.BigVarChar:
            case TdsDataType.BigChar:
                return (info.Collation ?? TdsCollation.Default).GetEncoding().GetBytes((string)value);
            case TdsDataType.Guid:
                return ((Guid)value).ToByteArray();
            case TdsDataType.BigVarBinary:
            case TdsDataType.BigBinary:
                return (byte[])value;
            default:
                throw new ArgumentException($"dbtls cannot write values of type 0x{info.DataType:X2} (column {name})");
        }
    }
}

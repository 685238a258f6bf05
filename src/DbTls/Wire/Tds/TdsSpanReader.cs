using System.Buffers.Binary;
using System.Text;

namespace DbTls.Wire.Tds;

/// <summary>
/// A bounds-checked cursor over one TDS structure. Every read checks the remaining length first
/// and raises a protocol violation naming <c>what</c> instead of reading past the end.
/// </summary>
internal ref struct TdsSpanReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _what;

    public TdsSpanReader(ReadOnlySpan<byte> data, string what)
    {
        _data = data;
        _what = what;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly int Remaining => _data.Length - Position;

    public readonly bool IsAtEnd => Position >= _data.Length;

    public readonly ReadOnlySpan<byte> Data => _data;

    public ReadOnlySpan<byte> ReadBytes(int count, string field)
    {
        if (count < 0 || count > Remaining)
        {
            throw TdsErrors.Violation($"{_what}: {field} needs {count} bytes at offset {Position}, but only {Remaining} remain");
        }

        var slice = _data.Slice(Position, count);
        Position += count;
        return slice;
    }

    public void Skip(int count, string field) => ReadBytes(count, field);

    public byte ReadByte(string field) => ReadBytes(1, field)[0];

    public readonly byte PeekByte(string field)
    {
        if (Remaining < 1)
        {
            throw TdsErrors.Violation($"{_what}: {field} expected at offset {Position}, but the data ended");
        }

        return _data[Position];
    }

    public ushort ReadUInt16LittleEndian(string field) => BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2, field));

    public ushort ReadUInt16BigEndian(string field) => BinaryPrimitives.ReadUInt16BigEndian(ReadBytes(2, field));

    public short ReadInt16LittleEndian(string field) => BinaryPrimitives.ReadInt16LittleEndian(ReadBytes(2, field));

    public uint ReadUInt32LittleEndian(string field) => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4, field));

    public uint ReadUInt32BigEndian(string field) => BinaryPrimitives.ReadUInt32BigEndian(ReadBytes(4, field));

    public int ReadInt32LittleEndian(string field) => BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4, field));

    public ulong ReadUInt64LittleEndian(string field) => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8, field));

    public long ReadInt64LittleEndian(string field) => BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8, field));

    /// <summary>B_VARCHAR: a one-byte character count followed by UTF-16LE characters.</summary>
    public string ReadBVarChar(string field) => ReadUnicode(ReadByte(field), field);

    /// <summary>US_VARCHAR: a two-byte character count followed by UTF-16LE characters.</summary>
    public string ReadUsVarChar(string field) => ReadUnicode(ReadUInt16LittleEndian(field), field);

    /// <summary>B_VARBYTE: a one-byte length followed by that many bytes.</summary>
    public byte[] ReadBVarByte(string field) => ReadBytes(ReadByte(field), field).ToArray();

    /// <summary>US_VARBYTE: a two-byte length followed by that many bytes.</summary>
    public byte[] ReadUsVarByte(string field) => ReadBytes(ReadUInt16LittleEndian(field), field).ToArray();

    public string ReadUnicode(int characters, string field) => Encoding.Unicode.GetString(ReadBytes(checked(characters * 2), field));
}

using System.Buffers.Binary;
using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Wire.Postgres;

/// <summary>
/// Reads the fields of one message body. Every read checks the remaining length first, so a short
/// or lying message ends in <see cref="FindingCodes.ServerProtocolViolation"/> instead of an index error.
/// </summary>
internal ref struct PayloadReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly byte _type;
    private int _position;

    public PayloadReader(ReadOnlySpan<byte> data, byte type)
    {
        _data = data;
        _type = type;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public readonly bool AtEnd => _position == _data.Length;

    public byte ReadByte()
    {
        Need(1, "a byte");
        return _data[_position++];
    }

    public short ReadInt16()
    {
        Need(2, "a 16-bit integer");
        var value = BinaryPrimitives.ReadInt16BigEndian(_data.Slice(_position, 2));
        _position += 2;
        return value;
    }

    public int ReadInt32()
    {
        Need(4, "a 32-bit integer");
        var value = BinaryPrimitives.ReadInt32BigEndian(_data.Slice(_position, 4));
        _position += 4;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0)
        {
            throw Violation($"negative field length {count}");
        }

        Need(count, $"{count} bytes");
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    public ReadOnlySpan<byte> ReadRest() => ReadBytes(Remaining);

    /// <summary>A NUL-terminated string, decoded as UTF-8 (invalid sequences become U+FFFD, never an exception).</summary>
    public string ReadCString()
    {
        var rest = _data[_position..];
        var nul = rest.IndexOf((byte)0);
        if (nul < 0)
        {
            throw Violation("a string is not NUL-terminated");
        }

        var value = Encoding.UTF8.GetString(rest[..nul]);
        _position += nul + 1;
        return value;
    }

    public readonly void ExpectEnd()
    {
        if (!AtEnd)
        {
            throw Violation($"{Remaining} unexpected trailing bytes");
        }
    }

    private readonly void Need(int count, string what)
    {
        if (Remaining < count)
        {
            throw Violation($"expected {what} but only {Remaining} bytes remain");
        }
    }

    public readonly DbTlsException Violation(string detail) =>
        new(FindingCodes.ServerProtocolViolation, $"malformed {BackendMessageType.Describe(_type)} message from the server: {detail}");
}

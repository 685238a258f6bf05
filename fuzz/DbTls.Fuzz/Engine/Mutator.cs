using System.Buffers.Binary;

namespace DbTls.Fuzz.Engine;

/// <summary>
/// Structured mutations of server bytes, deterministic for a given seed. Besides the blind ones (bit
/// flips, random bytes, insertions, deletions) it edits what wire formats trust: length fields of 1,
/// 2 and 4 bytes in both byte orders (set to 0, 1, the limits, the remaining length ± 1, huge values),
/// truncation, repetition of a chunk (many empty records, thousands of tokens), splicing two inputs,
/// and the target's dictionary of protocol tokens.
/// </summary>
internal sealed class Mutator
{
    private static readonly uint[] InterestingValues =
    [
        0, 1, 2, 3, 4, 5, 7, 8, 0x10, 0x20, 0x3F, 0x40, 0x7E, 0x7F, 0x80, 0xFF, 0x100, 0x3FFF, 0x4000, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF,
        0x10000, 0x4000 + 5, 0x100_0000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF, 30_000, 16 * 1024 * 1024, 48_000_000,
    ];

    private readonly Random _random;
    private readonly IReadOnlyList<byte[]> _dictionary;
    private readonly int _maxLength;

    public Mutator(int seed, IReadOnlyList<byte[]> dictionary, int maxLength)
    {
        _random = new Random(seed);
        _dictionary = dictionary;
        _maxLength = maxLength;
    }

    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    /// <summary>A mutant of <paramref name="input"/>: one to eight stacked mutations, <paramref name="other"/> for splicing.</summary>
    public byte[] Mutate(byte[] input, byte[] other)
    {
        var data = new List<byte>(input);
        var count = 1 << _random.Next(4);
        for (var i = 0; i < count; i++)
        {
            MutateOnce(data, other);
        }

        if (data.Count > _maxLength)
        {
            data.RemoveRange(_maxLength, data.Count - _maxLength);
        }

        return [.. data];
    }

    private void MutateOnce(List<byte> data, byte[] other)
    {
        switch (_random.Next(data.Count == 0 ? 3 : 14))
        {
            case 0:
                Insert(data, RandomBytes(1 + _random.Next(_random.Next(2) == 0 ? 4 : 64)));
                break;
            case 1:
                Insert(data, other.Length == 0 ? [] : Slice(other));
                break;
            case 2:
                if (_dictionary.Count > 0)
                {
                    Insert(data, _dictionary[_random.Next(_dictionary.Count)]);
                }

                break;
            case 3:
                data[Position(data)] ^= (byte)(1 << _random.Next(8));
                break;
            case 4:
                data[Position(data)] = (byte)InterestingValues[_random.Next(InterestingValues.Length)];
                break;
            case 5:
                data[Position(data)] = (byte)_random.Next(256);
                break;
            case 6:
            case 7:
                EditLengthField(data);
                break;
            case 8:
                {
                    var at = Position(data);
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(_random.Next(2) == 0 ? 4 : 256)));
                    break;
                }

            case 9:
                {
                    var cut = Position(data);
                    data.RemoveRange(cut, data.Count - cut);
                    break;
                }

            case 10:
                RepeatChunk(data);
                break;
            case 11:
                Splice(data, other);
                break;
            case 12:
                if (_dictionary.Count > 0)
                {
                    Overwrite(data, _dictionary[_random.Next(_dictionary.Count)]);
                }

                break;
            default:
                {
                    // Swap two bytes' neighbourhoods: reorders fields and messages.
                    var a = Position(data);
                    var b = Position(data);
                    (data[a], data[b]) = (data[b], data[a]);
                    break;
                }
        }
    }

    /// <summary>Writes a 1-, 2- or 4-byte value, big- or little-endian, that a parser is likely to read as a length.</summary>
    private void EditLengthField(List<byte> data)
    {
        var width = _random.Next(3) switch { 0 => 1, 1 => 2, _ => 4 };
        if (data.Count < width)
        {
            return;
        }

        var at = _random.Next(data.Count - width + 1);
        var remaining = (uint)(data.Count - at);
        var value = _random.Next(4) switch
        {
            0 => remaining + (uint)_random.Next(-2, 3),
            1 => remaining - (uint)width + (uint)_random.Next(-2, 3),
            _ => InterestingValues[_random.Next(InterestingValues.Length)],
        };
        Span<byte> bytes = stackalloc byte[4];
        var bigEndian = _random.Next(2) == 0;
        switch (width)
        {
            case 1:
                bytes[0] = (byte)value;
                break;
            case 2 when bigEndian:
                BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
                break;
            case 2:
                BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
                break;
            default:
                if (bigEndian)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
                }

                break;
        }

        for (var i = 0; i < width; i++)
        {
            data[at + i] = bytes[i];
        }
    }

    /// <summary>Repeats a short chunk many times (the shape of "many empty records" and "a million tiny tokens").</summary>
    private void RepeatChunk(List<byte> data)
    {
        var at = Position(data);
        var length = Math.Min(data.Count - at, 1 + _random.Next(8));
        var chunk = data.GetRange(at, length).ToArray();
        var times = 1 + _random.Next(_random.Next(2) == 0 ? 8 : 2048);
        var copies = new List<byte>(chunk.Length * times);
        for (var i = 0; i < times && copies.Count + data.Count < _maxLength; i++)
        {
            copies.AddRange(chunk);
        }

        data.InsertRange(at, copies);
    }

    /// <summary>Keeps a prefix of this input and continues with a suffix of the other one.</summary>
    private void Splice(List<byte> data, byte[] other)
    {
        if (other.Length == 0)
        {
            return;
        }

        var cut = Position(data);
        data.RemoveRange(cut, data.Count - cut);
        data.AddRange(other.AsSpan(_random.Next(other.Length)).ToArray());
    }

    private void Insert(List<byte> data, byte[] bytes) => data.InsertRange(data.Count == 0 ? 0 : _random.Next(data.Count + 1), bytes);

    private void Overwrite(List<byte> data, byte[] bytes)
    {
        var at = Position(data);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (at + i < data.Count)
            {
                data[at + i] = bytes[i];
            }
            else
            {
                data.Add(bytes[i]);
            }
        }
    }

    private byte[] Slice(byte[] source)
    {
        var start = _random.Next(source.Length);
        return source.AsSpan(start, 1 + _random.Next(Math.Min(source.Length - start, 256))).ToArray();
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private int Position(List<byte> data) => _random.Next(data.Count);
}

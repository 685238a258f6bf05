using System.Buffers.Binary;

namespace DbTls.Tests.Fuzz;

/// <summary>
/// Where harvested seeds go: with DBTLS_FUZZ_CORPUS_OUT set (fuzz/run.sh --harvest does) into
/// fuzz/corpus/&lt;target&gt;/ for the fuzzer; otherwise nowhere, and the harvest tests only prove that
/// the real servers' bytes parse.
/// </summary>
internal static class FuzzCorpus
{
    public static void Write(string target, string name, byte[] bytes)
    {
        if (Environment.GetEnvironmentVariable("DBTLS_FUZZ_CORPUS_OUT") is not { Length: > 0 } root)
        {
            return;
        }

        var folder = Path.Combine(root, target);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, $"recorded-{name}.bin"), bytes);
    }

    /// <summary>"first NUL second": the shape of the SCRAM targets' inputs (server-first, server-final).</summary>
    public static byte[] Joined(byte[] first, byte[] second) => [.. first, 0, .. second];

    /// <summary>Cuts a recording into messages; <paramref name="messageLength"/> reads one message's length from its start.</summary>
    public static List<byte[]> Split(byte[] stream, Func<ReadOnlySpan<byte>, int?> messageLength)
    {
        var messages = new List<byte[]>();
        var position = 0;
        while (position < stream.Length)
        {
            var length = messageLength(stream.AsSpan(position));
            if (length is not { } n || n <= 0 || n > stream.Length - position)
            {
                messages.Add(stream[position..]);
                break;
            }

            messages.Add(stream[position..(position + n)]);
            position += n;
        }

        return messages;
    }

    /// <summary>A PostgreSQL backend message: type byte, then a big-endian length that counts itself.</summary>
    public static int? PostgresLength(ReadOnlySpan<byte> bytes) => bytes.Length >= 5 ? 1 + BinaryPrimitives.ReadInt32BigEndian(bytes[1..]) : null;

    /// <summary>A TDS packet: big-endian total length at offset 2.</summary>
    public static int? TdsLength(ReadOnlySpan<byte> bytes) => bytes.Length >= 8 ? BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]) : null;

    /// <summary>A MongoDB message: little-endian total length first.</summary>
    public static int? MongoLength(ReadOnlySpan<byte> bytes) => bytes.Length >= 16 ? BinaryPrimitives.ReadInt32LittleEndian(bytes) : null;
}

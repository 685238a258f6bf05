using System.Buffers.Binary;
using System.Text;

namespace DbTls.Wire.Tds;

/// <summary>One ALL_HEADERS entry: its type and data (without the length and type fields).</summary>
internal sealed record TdsStreamHeader(ushort HeaderType, byte[] Data)
{
    public const ushort QueryNotifications = 0x0001;
    public const ushort TransactionDescriptor = 0x0002;
    public const ushort TraceActivity = 0x0003;
}

/// <summary>
/// The SQLBatch message (MS-TDS 2.2.6.7): from TDS 7.2 on, ALL_HEADERS with at least the
/// transaction descriptor header, then the batch text in UTF-16LE.
/// </summary>
internal sealed record SqlBatchMessage(string Sql, IReadOnlyList<TdsStreamHeader> Headers)
{
    /// <summary>A batch with the transaction descriptor header (no transaction, one outstanding request).</summary>
    public static SqlBatchMessage Create(string sql, ulong transactionDescriptor = 0, uint outstandingRequestCount = 1)
    {
        var data = new byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(data, transactionDescriptor);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(8), outstandingRequestCount);
        return new SqlBatchMessage(sql, [new TdsStreamHeader(TdsStreamHeader.TransactionDescriptor, data)]);
    }

    /// <summary>The payload; <paramref name="withAllHeaders"/> is false only for TDS 7.1 and earlier.</summary>
    public byte[] Encode(bool withAllHeaders = true)
    {
        var text = Encoding.Unicode.GetBytes(Sql);
        if (!withAllHeaders)
        {
            return text;
        }

        var headersLength = 4 + Headers.Sum(h => 6 + h.Data.Length);
        var result = new byte[headersLength + text.Length];
        var span = result.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)headersLength);
        var at = 4;
        foreach (var header in Headers)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[at..], (uint)(6 + header.Data.Length));
            BinaryPrimitives.WriteUInt16LittleEndian(span[(at + 4)..], header.HeaderType);
            header.Data.CopyTo(span[(at + 6)..]);
            at += 6 + header.Data.Length;
        }

        text.CopyTo(span[at..]);
        return result;
    }

    public static SqlBatchMessage Decode(ReadOnlySpan<byte> payload, bool withAllHeaders = true)
    {
        var headers = new List<TdsStreamHeader>();
        var text = payload;
        if (withAllHeaders)
        {
            var reader = new TdsSpanReader(payload, "SQLBatch ALL_HEADERS");
            var total = reader.ReadUInt32LittleEndian("TotalLength");
            if (total < 4 || total > payload.Length)
            {
                throw TdsErrors.Violation($"SQLBatch: ALL_HEADERS TotalLength {total} does not fit the {payload.Length}-byte message");
            }

            var block = new TdsSpanReader(payload[4..(int)total], "SQLBatch ALL_HEADERS");
            while (!block.IsAtEnd)
            {
                var length = block.ReadUInt32LittleEndian("HeaderLength");
                if (length < 6 || length - 4 > block.Remaining)
                {
                    throw TdsErrors.Violation($"SQLBatch: header length {length} does not fit the {block.Remaining + 4} bytes left in ALL_HEADERS");
                }

                var type = block.ReadUInt16LittleEndian("HeaderType");
                headers.Add(new TdsStreamHeader(type, block.ReadBytes((int)length - 6, "HeaderData").ToArray()));
            }

            text = payload[(int)total..];
        }

        if (text.Length % 2 != 0)
        {
            throw TdsErrors.Violation($"SQLBatch: the batch text has an odd number of bytes ({text.Length}) for UTF-16");
        }

        return new SqlBatchMessage(Encoding.Unicode.GetString(text), headers);
    }
}

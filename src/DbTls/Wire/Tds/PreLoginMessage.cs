using System.Buffers.Binary;
using System.Text;

namespace DbTls.Wire.Tds;

/// <summary>The sender's version in PRELOGIN: UL_VERSION (major, minor, big-endian build) and US_SUBBUILD.</summary>
internal readonly record struct PreLoginVersion(byte Major, byte Minor, ushort Build, ushort SubBuild)
{
    public override string ToString() => $"{Major}.{Minor}.{Build}.{SubBuild}";
}

/// <summary>TRACEID: the client connection id, the activity id and its sequence number (TDS 7.4).</summary>
internal sealed record PreLoginTraceId(Guid ConnectionId, Guid ActivityId, uint ActivitySequence);

/// <summary>An option as it appeared in the table: token and data bytes.</summary>
internal sealed record PreLoginOption(byte Token, byte[] Data);

/// <summary>
/// The PRELOGIN structure (MS-TDS 2.2.6.5), in both directions. Absent options are null. Decoding
/// validates the option table, the terminator, every offset and length against the payload and
/// the length of every known option; options with unknown tokens are skipped by their declared
/// length (and kept in <see cref="UnknownOptions"/>).
/// </summary>
internal sealed record PreLoginMessage
{
    /// <summary>A PRELOGIN larger than this is not a PRELOGIN (SqlClient's own is under 1 KiB).</summary>
    public const int MaxLength = 4096;

    public const int NonceLength = 32;

    public const int TraceIdLength = 36;

    public PreLoginVersion? Version { get; init; }

    public PreLoginEncryption? Encryption { get; init; }

    /// <summary>
    /// INSTOPT bytes as sent. From a client: the instance name in the client's code page and a
    /// terminating zero. From a server: one byte, 0 = the instance matches, 1 = it does not.
    /// </summary>
    public byte[]? Instance { get; init; }

    /// <summary>THREADID; null when absent or sent with length 0 (as servers do).</summary>
    public uint? ThreadId { get; init; }

    public bool HasThreadIdOption { get; init; }

    public byte? Mars { get; init; }

    public PreLoginTraceId? TraceId { get; init; }

    public byte? FedAuthRequired { get; init; }

    public byte[]? Nonce { get; init; }

    public IReadOnlyList<PreLoginOption> UnknownOptions { get; init; } = [];

    /// <summary>The option tokens in the order they appeared on the wire (decoding only).</summary>
    public IReadOnlyList<byte> OptionOrder { get; init; } = [];

    /// <summary>The instance name up to the first zero byte.</summary>
    public string? InstanceName => Instance is null ? null : Encoding.ASCII.GetString(Instance.AsSpan(0, Instance.AsSpan().IndexOf((byte)0) is var end and >= 0 ? end : Instance.Length));

    /// <summary>INSTOPT as a client sends it: the name and a terminating zero (empty name for the default instance).</summary>
    public static byte[] ClientInstance(string name) => [.. Encoding.ASCII.GetBytes(name ?? string.Empty), 0];

    public static PreLoginMessage Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxLength)
        {
            throw TdsErrors.Violation($"PRELOGIN: {payload.Length} bytes exceed the maximum of {MaxLength}");
        }

        var entries = new List<(byte Token, int Offset, int Length)>();
        var position = 0;
        while (true)
        {
            if (position >= payload.Length)
            {
                throw TdsErrors.Violation($"PRELOGIN: the option table has no terminator (0xFF) within {payload.Length} bytes");
            }

            var token = payload[position];
            if (token == (byte)PreLoginOptionToken.Terminator)
            {
                position++;
                break;
            }

            if (payload.Length - position < 5)
            {
                throw TdsErrors.Violation($"PRELOGIN: option 0x{token:X2} at offset {position} is cut off (needs 5 bytes, {payload.Length - position} remain)");
            }

            var offset = BinaryPrimitives.ReadUInt16BigEndian(payload[(position + 1)..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(payload[(position + 3)..]);
            if (entries.Exists(e => e.Token == token))
            {
                throw TdsErrors.Violation($"PRELOGIN: option 0x{token:X2} appears twice");
            }

            entries.Add((token, offset, length));
            position += 5;
        }

        var tableEnd = position;
        var message = new PreLoginMessage { OptionOrder = entries.Select(e => e.Token).ToArray() };
        var unknown = new List<PreLoginOption>();
        foreach (var (token, offset, length) in entries)
        {
            if (offset + length > payload.Length)
            {
                throw TdsErrors.Violation($"PRELOGIN: option 0x{token:X2} points at bytes {offset}..{offset + length} beyond the {payload.Length}-byte payload");
            }

            if (length > 0 && offset < tableEnd)
            {
                throw TdsErrors.Violation($"PRELOGIN: option 0x{token:X2} data at offset {offset} overlaps the option table (which ends at {tableEnd})");
            }

            var data = payload.Slice(offset, length);
            message = token switch
            {
                (byte)PreLoginOptionToken.Version => message with { Version = DecodeVersion(data) },
                (byte)PreLoginOptionToken.Encryption => message with { Encryption = (PreLoginEncryption)Exactly(data, 1, "ENCRYPTION")[0] },
                (byte)PreLoginOptionToken.InstOpt => message with { Instance = data.ToArray() },
                (byte)PreLoginOptionToken.ThreadId => message with { HasThreadIdOption = true, ThreadId = DecodeThreadId(data) },
                (byte)PreLoginOptionToken.Mars => message with { Mars = Exactly(data, 1, "MARS")[0] },
                (byte)PreLoginOptionToken.TraceId => message with { TraceId = DecodeTraceId(data) },
                (byte)PreLoginOptionToken.FedAuthRequired => message with { FedAuthRequired = Exactly(data, 1, "FEDAUTHREQUIRED")[0] },
                (byte)PreLoginOptionToken.Nonce => message with { Nonce = Exactly(data, NonceLength, "NONCE").ToArray() },
                _ => message,
            };
            if (token > (byte)PreLoginOptionToken.Nonce)
            {
                unknown.Add(new PreLoginOption(token, data.ToArray()));
            }
        }

        return message with { UnknownOptions = unknown };
    }

    public byte[] Encode()
    {
        var options = new List<PreLoginOption>();
        if (Version is { } v)
        {
            var data = new byte[6];
            data[0] = v.Major;
            data[1] = v.Minor;
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(2), v.Build);
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), v.SubBuild);
            options.Add(new((byte)PreLoginOptionToken.Version, data));
        }

        if (Encryption is { } e)
        {
            options.Add(new((byte)PreLoginOptionToken.Encryption, [(byte)e]));
        }

        if (Instance is { } instance)
        {
            options.Add(new((byte)PreLoginOptionToken.InstOpt, instance));
        }

        if (ThreadId is { } threadId)
        {
            var data = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(data, threadId);
            options.Add(new((byte)PreLoginOptionToken.ThreadId, data));
        }
        else if (HasThreadIdOption)
        {
            options.Add(new((byte)PreLoginOptionToken.ThreadId, []));
        }

        if (Mars is { } mars)
        {
            options.Add(new((byte)PreLoginOptionToken.Mars, [mars]));
        }

        if (TraceId is { } trace)
        {
            var data = new byte[TraceIdLength];
            trace.ConnectionId.TryWriteBytes(data.AsSpan(0, 16));
            trace.ActivityId.TryWriteBytes(data.AsSpan(16, 16));
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(32), trace.ActivitySequence);
            options.Add(new((byte)PreLoginOptionToken.TraceId, data));
        }

        if (FedAuthRequired is { } fedAuth)
        {
            options.Add(new((byte)PreLoginOptionToken.FedAuthRequired, [fedAuth]));
        }

        if (Nonce is { } nonce)
        {
            if (nonce.Length != NonceLength)
            {
                throw new InvalidOperationException($"a PRELOGIN nonce has {NonceLength} bytes");
            }

            options.Add(new((byte)PreLoginOptionToken.Nonce, nonce));
        }

        options.AddRange(UnknownOptions);
        return EncodeOptions(options);
    }

    /// <summary>Lays out an option table exactly as given (order, tokens, data); tests use it to build odd but well-formed messages.</summary>
    public static byte[] EncodeOptions(IReadOnlyList<PreLoginOption> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tableLength = (options.Count * 5) + 1;
        var total = tableLength + options.Sum(o => o.Data.Length);
        if (total > ushort.MaxValue)
        {
            throw new InvalidOperationException("PRELOGIN options do not fit 16-bit offsets");
        }

        var result = new byte[total];
        var dataOffset = tableLength;
        for (var i = 0; i < options.Count; i++)
        {
            var entry = result.AsSpan(i * 5, 5);
            entry[0] = options[i].Token;
            BinaryPrimitives.WriteUInt16BigEndian(entry[1..], (ushort)dataOffset);
            BinaryPrimitives.WriteUInt16BigEndian(entry[3..], (ushort)options[i].Data.Length);
            options[i].Data.CopyTo(result, dataOffset);
            dataOffset += options[i].Data.Length;
        }

        result[tableLength - 1] = (byte)PreLoginOptionToken.Terminator;
        return result;
    }

    private static ReadOnlySpan<byte> Exactly(ReadOnlySpan<byte> data, int length, string name)
    {
        if (data.Length != length)
        {
            throw TdsErrors.Violation($"PRELOGIN: option {name} has {data.Length} bytes, it must have {length}");
        }

        return data;
    }

    private static PreLoginVersion DecodeVersion(ReadOnlySpan<byte> data)
    {
        Exactly(data, 6, "VERSION");
        return new PreLoginVersion(data[0], data[1], BinaryPrimitives.ReadUInt16BigEndian(data[2..]), BinaryPrimitives.ReadUInt16LittleEndian(data[4..]));
    }

    private static uint? DecodeThreadId(ReadOnlySpan<byte> data) => data.Length switch
    {
        0 => null,
        4 => BinaryPrimitives.ReadUInt32BigEndian(data),
        _ => throw TdsErrors.Violation($"PRELOGIN: option THREADID has {data.Length} bytes, it must have 0 or 4"),
    };

    private static PreLoginTraceId DecodeTraceId(ReadOnlySpan<byte> data)
    {
        Exactly(data, TraceIdLength, "TRACEID");
        return new PreLoginTraceId(new Guid(data[..16]), new Guid(data.Slice(16, 16)), BinaryPrimitives.ReadUInt32LittleEndian(data[32..]));
    }
}

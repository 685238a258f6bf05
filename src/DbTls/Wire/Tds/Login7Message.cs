using System.Buffers.Binary;
using System.Text;
using DbTls.Policy;

namespace DbTls.Wire.Tds;

/// <summary>One FeatureExt entry of LOGIN7 (or FEATUREEXTACK): a feature id and its data.</summary>
internal sealed record TdsFeature(byte FeatureId, byte[] Data);

/// <summary>FeatureExt ids (MS-TDS 2.2.6.4) that dbtls names in reports.</summary>
internal static class TdsFeatureIds
{
    public const byte SessionRecovery = 0x01;
    public const byte FedAuth = 0x02;
    public const byte ColumnEncryption = 0x04;
    public const byte GlobalTransactions = 0x05;
    public const byte AzureSqlSupport = 0x08;
    public const byte DataClassification = 0x09;
    public const byte Utf8Support = 0x0A;
    public const byte AzureSqlDnsCaching = 0x0B;
    public const byte JsonSupport = 0x0D;
    public const byte VectorSupport = 0x0E;
    public const byte Terminator = 0xFF;
}

/// <summary>
/// The LOGIN7 message (MS-TDS 2.2.6.4) with SQL authentication. The password is held as a
/// <see cref="Secret"/> so it never prints; on the wire it is obfuscated (<see cref="Login7Password"/>).
/// Decoding checks every offset and length against the message.
/// </summary>
internal sealed record Login7Message
{
    /// <summary>OptionFlags1: USE_DB_ON | INIT_DB_FATAL | SET_LANG_ON, as SqlClient sends.</summary>
    public const byte DefaultOptionFlags1 = 0xE0;

    /// <summary>OptionFlags2: INIT_LANG_FATAL | ODBC_ON.</summary>
    public const byte DefaultOptionFlags2 = 0x03;

    /// <summary>OptionFlags2 bit: integrated (SSPI) authentication instead of user and password.</summary>
    public const byte IntegratedSecurityFlag = 0x80;

    /// <summary>OptionFlags3 bit: the FeatureExt block is present.</summary>
    public const byte ExtensionFlag = 0x10;

    /// <summary>The fixed part of a TDS 7.2+ LOGIN7 (before the variable data).</summary>
    public const int FixedLength72 = 94;

    /// <summary>The fixed part of a TDS 7.0/7.1 LOGIN7 (no ibChangePassword, no cbSSPILong).</summary>
    public const int FixedLength71 = 86;

    /// <summary>A LOGIN7 this big is not a login: the variable fields are 16-bit offsets.</summary>
    public const int MaxLength = 128 * 1024;

    public uint TdsVersion { get; init; } = TdsVersions.V7_4;

    public uint PacketSize { get; init; } = TdsPacketHeader.DefaultPacketSize;

    public uint ClientProgramVersion { get; init; }

    public uint ClientProcessId { get; init; }

    public uint ConnectionId { get; init; }

    public byte OptionFlags1 { get; init; } = DefaultOptionFlags1;

    public byte OptionFlags2 { get; init; } = DefaultOptionFlags2;

    public byte TypeFlags { get; init; }

    /// <summary>OptionFlags3; the extension bit is set on encoding whenever <see cref="Features"/> is not empty.</summary>
    public byte OptionFlags3 { get; init; }

    public int ClientTimeZone { get; init; }

    public uint ClientLcid { get; init; } = 0x0409;

    public string HostName { get; init; } = "";

    public string UserName { get; init; } = "";

    public Secret? Password { get; init; }

    public string AppName { get; init; } = "";

    public string ServerName { get; init; } = "";

    public string LibraryName { get; init; } = "";

    public string Language { get; init; } = "";

    public string Database { get; init; } = "";

    /// <summary>ClientID: six bytes, by convention the client's MAC address.</summary>
    public byte[] ClientId { get; init; } = new byte[6];

    public byte[] Sspi { get; init; } = [];

    public string AttachDbFile { get; init; } = "";

    public Secret? ChangePassword { get; init; }

    public IReadOnlyList<TdsFeature> Features { get; init; } = [];

    /// <summary>True when OptionFlags3 announced a FeatureExt block (decoding only).</summary>
    public bool HasExtension => (OptionFlags3 & ExtensionFlag) != 0;

    public bool UsesIntegratedSecurity => (OptionFlags2 & IntegratedSecurityFlag) != 0;

    public byte[] Encode()
    {
        if (ClientId.Length != 6)
        {
            throw new InvalidOperationException("LOGIN7 ClientID has 6 bytes");
        }

        var has72 = TdsVersions.HasLogin72Fields(TdsVersion);
        var fixedLength = has72 ? FixedLength72 : FixedLength71;
        var withFeatures = Features.Count > 0;
        if (withFeatures && !has72)
        {
            throw new InvalidOperationException("FeatureExt needs TDS 7.4 or later");
        }

        using var data = new MemoryStream();
        var pairs = new List<(int Offset, int Length)>();
        void AddString(string value)
        {
            pairs.Add((fixedLength + (int)data.Length, value.Length));
            data.Write(Encoding.Unicode.GetBytes(value));
        }

        void AddBytes(ReadOnlySpan<byte> value, int count)
        {
            pairs.Add((fixedLength + (int)data.Length, count));
            data.Write(value);
        }

        AddString(HostName);
        AddString(UserName);
        var password = Password is null ? [] : Login7Password.Obfuscate(Password.Reveal());
        AddBytes(password, password.Length / 2);
        AddString(AppName);
        AddString(ServerName);
        var extensionPointerAt = fixedLength + (int)data.Length;
        if (withFeatures)
        {
            AddBytes(new byte[4], 4); // patched below with the offset of the FeatureExt block
        }
        else
        {
            pairs.Add((extensionPointerAt, 0));
        }

        AddString(LibraryName);
        AddString(Language);
        AddString(Database);
        var sspiPairIndex = pairs.Count;
        AddBytes(Sspi, Math.Min(Sspi.Length, ushort.MaxValue));
        AddString(AttachDbFile);
        if (has72)
        {
            var change = ChangePassword is null ? [] : Login7Password.Obfuscate(ChangePassword.Reveal());
            AddBytes(change, change.Length / 2);
        }

        var featureOffset = fixedLength + (int)data.Length;
        if (withFeatures)
        {
            Span<byte> length = stackalloc byte[4];
            foreach (var feature in Features)
            {
                data.WriteByte(feature.FeatureId);
                BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)feature.Data.Length);
                data.Write(length);
                data.Write(feature.Data);
            }

            data.WriteByte(TdsFeatureIds.Terminator);
        }

        var total = fixedLength + (int)data.Length;
        if (total > MaxLength)
        {
            throw new InvalidOperationException("LOGIN7 is too long");
        }

        var result = new byte[total];
        var span = result.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)total);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], TdsVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], PacketSize);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], ClientProgramVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], ClientProcessId);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], ConnectionId);
        span[24] = OptionFlags1;
        span[25] = OptionFlags2;
        span[26] = TypeFlags;
        span[27] = withFeatures ? (byte)(OptionFlags3 | ExtensionFlag) : (byte)(OptionFlags3 & ~ExtensionFlag);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], ClientTimeZone);
        BinaryPrimitives.WriteUInt32LittleEndian(span[32..], ClientLcid);

        // Nine offset/length pairs, ClientID, then SSPI, AtchDBFile and (7.2+) ChangePassword.
        var at = 36;
        for (var i = 0; i < 9; i++)
        {
            WritePair(span, ref at, pairs[i]);
        }

        ClientId.CopyTo(span[at..]);
        at += 6;
        for (var i = sspiPairIndex; i < pairs.Count; i++)
        {
            WritePair(span, ref at, pairs[i]);
        }

        if (has72)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[at..], Sspi.Length >= ushort.MaxValue ? (uint)Sspi.Length : 0);
        }

        data.ToArray().CopyTo(span[fixedLength..]);
        if (withFeatures)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[extensionPointerAt..], (uint)featureOffset);
        }

        return result;
    }

    public static Login7Message Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxLength)
        {
            throw TdsErrors.Violation($"LOGIN7: {payload.Length} bytes exceed the maximum of {MaxLength}");
        }

        var reader = new TdsSpanReader(payload, "LOGIN7");
        var length = reader.ReadUInt32LittleEndian("Length");
        if (length > payload.Length)
        {
            throw TdsErrors.Violation($"LOGIN7: Length says {length} bytes, the message has {payload.Length}");
        }

        var version = reader.ReadUInt32LittleEndian("TDSVersion");
        var fixedLength = TdsVersions.HasLogin72Fields(version) ? FixedLength72 : FixedLength71;
        if (length < fixedLength)
        {
            throw TdsErrors.Violation($"LOGIN7: Length {length} is shorter than the {fixedLength}-byte fixed part for TDS {TdsVersions.Describe(version)}");
        }

        var login = payload[..(int)length];
        reader = new TdsSpanReader(login, "LOGIN7");
        reader.Skip(8, "Length and TDSVersion");
        var packetSize = reader.ReadUInt32LittleEndian("PacketSize");
        var clientProgramVersion = reader.ReadUInt32LittleEndian("ClientProgVer");
        var clientProcessId = reader.ReadUInt32LittleEndian("ClientPID");
        var connectionId = reader.ReadUInt32LittleEndian("ConnectionID");
        var flags1 = reader.ReadByte("OptionFlags1");
        var flags2 = reader.ReadByte("OptionFlags2");
        var typeFlags = reader.ReadByte("TypeFlags");
        var flags3 = reader.ReadByte("OptionFlags3");
        var timeZone = reader.ReadInt32LittleEndian("ClientTimeZone");
        var lcid = reader.ReadUInt32LittleEndian("ClientLCID");

        (int Offset, int Count) Pair(ref TdsSpanReader r, string name) =>
            (r.ReadUInt16LittleEndian("ib" + name), r.ReadUInt16LittleEndian("cch" + name));

        var host = Pair(ref reader, "HostName");
        var user = Pair(ref reader, "UserName");
        var password = Pair(ref reader, "Password");
        var app = Pair(ref reader, "AppName");
        var server = Pair(ref reader, "ServerName");
        var extension = Pair(ref reader, "Extension");
        var library = Pair(ref reader, "CltIntName");
        var language = Pair(ref reader, "Language");
        var database = Pair(ref reader, "Database");
        var clientId = reader.ReadBytes(6, "ClientID").ToArray();
        var sspi = Pair(ref reader, "SSPI");
        var attach = Pair(ref reader, "AtchDBFile");
        (int Offset, int Count) change = (0, 0);
        uint sspiLong = 0;
        if (fixedLength == FixedLength72)
        {
            change = Pair(ref reader, "ChangePassword");
            sspiLong = reader.ReadUInt32LittleEndian("cbSSPILong");
        }

        var sspiLength = sspi.Count == ushort.MaxValue && sspiLong > 0 ? (int)Math.Min(sspiLong, int.MaxValue) : sspi.Count;
        var features = new List<TdsFeature>();
        if ((flags3 & ExtensionFlag) != 0)
        {
            var pointer = Slice(login, extension.Offset, extension.Count, fixedLength, "Extension");
            if (pointer.Length < 4)
            {
                throw TdsErrors.Violation($"LOGIN7: cbExtension is {pointer.Length}, it must hold a 4-byte offset");
            }

            var featureOffset = BinaryPrimitives.ReadUInt32LittleEndian(pointer);
            if (featureOffset < fixedLength || featureOffset >= login.Length)
            {
                throw TdsErrors.Violation($"LOGIN7: the FeatureExt offset {featureOffset} lies outside the {login.Length}-byte message");
            }

            features = DecodeFeatures(login[(int)featureOffset..]);
        }

        return new Login7Message
        {
            TdsVersion = version,
            PacketSize = packetSize,
            ClientProgramVersion = clientProgramVersion,
            ClientProcessId = clientProcessId,
            ConnectionId = connectionId,
            OptionFlags1 = flags1,
            OptionFlags2 = flags2,
            TypeFlags = typeFlags,
            OptionFlags3 = flags3,
            ClientTimeZone = timeZone,
            ClientLcid = lcid,
            HostName = Text(login, host, fixedLength, "HostName"),
            UserName = Text(login, user, fixedLength, "UserName"),
            Password = new Secret(Login7Password.Deobfuscate(Slice(login, password.Offset, password.Count * 2, fixedLength, "Password"))),
            AppName = Text(login, app, fixedLength, "AppName"),
            ServerName = Text(login, server, fixedLength, "ServerName"),
            LibraryName = Text(login, library, fixedLength, "CltIntName"),
            Language = Text(login, language, fixedLength, "Language"),
            Database = Text(login, database, fixedLength, "Database"),
            ClientId = clientId,
            Sspi = Slice(login, sspi.Offset, sspiLength, fixedLength, "SSPI").ToArray(),
            AttachDbFile = Text(login, attach, fixedLength, "AtchDBFile"),
            ChangePassword = change.Count == 0 ? null : new Secret(Login7Password.Deobfuscate(Slice(login, change.Offset, change.Count * 2, fixedLength, "ChangePassword"))),
            Features = features,
        };
    }

    /// <summary>Parses a FeatureExt block (LOGIN7) or the body of FEATUREEXTACK: entries up to the 0xFF terminator.</summary>
    internal static List<TdsFeature> DecodeFeatures(ReadOnlySpan<byte> data)
    {
        var reader = new TdsSpanReader(data, "FeatureExt");
        var features = new List<TdsFeature>();
        while (true)
        {
            var id = reader.ReadByte("FeatureId (or the 0xFF terminator)");
            if (id == TdsFeatureIds.Terminator)
            {
                return features;
            }

            var length = reader.ReadUInt32LittleEndian("FeatureDataLen");
            if (length > reader.Remaining)
            {
                throw TdsErrors.Violation($"FeatureExt: feature 0x{id:X2} claims {length} bytes, {reader.Remaining} remain");
            }

            features.Add(new TdsFeature(id, reader.ReadBytes((int)length, "FeatureData").ToArray()));
        }
    }

    private static void WritePair(Span<byte> span, ref int at, (int Offset, int Length) pair)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], checked((ushort)pair.Offset));
        BinaryPrimitives.WriteUInt16LittleEndian(span[(at + 2)..], checked((ushort)pair.Length));
        at += 4;
    }

    private static string Text(ReadOnlySpan<byte> login, (int Offset, int Count) pair, int fixedLength, string name) =>
        Encoding.Unicode.GetString(Slice(login, pair.Offset, pair.Count * 2, fixedLength, name));

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> login, int offset, int byteCount, int fixedLength, string name)
    {
        if (byteCount == 0)
        {
            return [];
        }

        if (offset < fixedLength)
        {
            throw TdsErrors.Violation($"LOGIN7: {name} at offset {offset} lies inside the {fixedLength}-byte fixed part");
        }

        if ((long)offset + byteCount > login.Length)
        {
            throw TdsErrors.Violation($"LOGIN7: {name} ({byteCount} bytes at offset {offset}) runs past the end of the {login.Length}-byte message");
        }

        return login.Slice(offset, byteCount);
    }
}

using System.Buffers.Binary;
using System.Text;

namespace DbTls.Wire.Tds;

/// <summary>Builds a token stream: what a server sends in a tabular result message. Test servers use it.</summary>
internal sealed class TdsTokenWriter
{
    private readonly MemoryStream _output = new();
    private readonly uint _tdsVersion;

    public TdsTokenWriter(uint tdsVersion = TdsVersions.V7_4) => _tdsVersion = tdsVersion;

    public byte[] ToArray() => _output.ToArray();

    public TdsTokenWriter LoginAck(uint tdsVersion, string programName, byte major, byte minor, ushort build, byte @interface = 1)
    {
        var body = new MemoryStream();
        body.WriteByte(@interface);
        Span<byte> version = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(version, tdsVersion);
        body.Write(version);
        WriteBVarChar(body, programName);
        body.WriteByte(major);
        body.WriteByte(minor);
        body.WriteByte((byte)(build >> 8));
        body.WriteByte((byte)build);
        return Token(TdsTokenType.LoginAck, body.ToArray());
    }

    public TdsTokenWriter EnvChange(byte type, string newValue, string oldValue)
    {
        var body = new MemoryStream();
        body.WriteByte(type);
        WriteBVarChar(body, newValue);
        WriteBVarChar(body, oldValue);
        return Token(TdsTokenType.EnvChange, body.ToArray());
    }

    public TdsTokenWriter EnvChangeBinary(byte type, ReadOnlySpan<byte> newValue, ReadOnlySpan<byte> oldValue)
    {
        var body = new MemoryStream();
        body.WriteByte(type);
        body.WriteByte(checked((byte)newValue.Length));
        body.Write(newValue);
        body.WriteByte(checked((byte)oldValue.Length));
        body.Write(oldValue);
        return Token(TdsTokenType.EnvChange, body.ToArray());
    }

    public TdsTokenWriter Info(int number, byte state, byte @class, string message, string serverName, string procedureName = "", int lineNumber = 1) =>
        Message(TdsTokenType.Info, number, state, @class, message, serverName, procedureName, lineNumber);

    public TdsTokenWriter Error(int number, byte state, byte @class, string message, string serverName, string procedureName = "", int lineNumber = 1) =>
        Message(TdsTokenType.Error, number, state, @class, message, serverName, procedureName, lineNumber);

    public TdsTokenWriter Done(TdsDoneStatus status, ushort currentCommand = 0, ulong rowCount = 0, TdsTokenType kind = TdsTokenType.Done)
    {
        _output.WriteByte((byte)kind);
        Span<byte> body = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(body, (ushort)status);
        BinaryPrimitives.WriteUInt16LittleEndian(body[2..], currentCommand);
        if (TdsVersions.HasLogin72Fields(_tdsVersion))
        {
            BinaryPrimitives.WriteUInt64LittleEndian(body[4..], rowCount);
            _output.Write(body);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(body[4..], (uint)rowCount);
            _output.Write(body[..8]);
        }

        return this;
    }

    public TdsTokenWriter FeatureExtAck(IEnumerable<TdsFeature> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        _output.WriteByte((byte)TdsTokenType.FeatureExtAck);
        Span<byte> length = stackalloc byte[4];
        foreach (var feature in features)
        {
            _output.WriteByte(feature.FeatureId);
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)feature.Data.Length);
            _output.Write(length);
            _output.Write(feature.Data);
        }

        _output.WriteByte(TdsFeatureIds.Terminator);
        return this;
    }

    public TdsTokenWriter ColMetadata(IReadOnlyList<TdsColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _output.WriteByte((byte)TdsTokenType.ColMetadata);
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(buffer, (ushort)columns.Count);
        _output.Write(buffer[..2]);
        var wide = TdsVersions.HasLogin72Fields(_tdsVersion);
        foreach (var column in columns)
        {
            if (wide)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(buffer, column.UserType);
                _output.Write(buffer);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(buffer, (ushort)column.UserType);
                _output.Write(buffer[..2]);
            }

            BinaryPrimitives.WriteUInt16LittleEndian(buffer, column.Flags);
            _output.Write(buffer[..2]);
            TdsValueCodec.WriteTypeInfo(_output, column.TypeInfo);
            WriteBVarChar(_output, column.Name);
        }

        return this;
    }

    public TdsTokenWriter Row(IReadOnlyList<TdsColumn> columns, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(values);
        if (columns.Count != values.Count)
        {
            throw new ArgumentException("a row needs one value per column", nameof(values));
        }

        _output.WriteByte((byte)TdsTokenType.Row);
        for (var i = 0; i < columns.Count; i++)
        {
            TdsValueCodec.WriteValue(_output, columns[i], values[i]);
        }

        return this;
    }

    /// <summary>Appends bytes as they are: for hostile tests that need a token dbtls would never write.</summary>
    public TdsTokenWriter Raw(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        return this;
    }

    private TdsTokenWriter Message(TdsTokenType type, int number, byte state, byte @class, string message, string serverName, string procedureName, int lineNumber)
    {
        var body = new MemoryStream();
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, number);
        body.Write(buffer);
        body.WriteByte(state);
        body.WriteByte(@class);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer, checked((ushort)message.Length));
        body.Write(buffer[..2]);
        body.Write(Encoding.Unicode.GetBytes(message));
        WriteBVarChar(body, serverName);
        WriteBVarChar(body, procedureName);
        if (TdsVersions.HasLogin72Fields(_tdsVersion))
        {
            BinaryPrimitives.WriteInt32LittleEndian(buffer, lineNumber);
            body.Write(buffer);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(buffer, (ushort)lineNumber);
            body.Write(buffer[..2]);
        }

        return Token(type, body.ToArray());
    }

    private TdsTokenWriter Token(TdsTokenType type, byte[] body)
    {
        _output.WriteByte((byte)type);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, checked((ushort)body.Length));
        _output.Write(length);
        _output.Write(body);
        return this;
    }

    private static void WriteBVarChar(Stream output, string value)
    {
        output.WriteByte(checked((byte)value.Length));
        output.Write(Encoding.Unicode.GetBytes(value));
    }
}

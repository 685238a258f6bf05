using System.Text;

namespace DbTls.Wire.Tds;

/// <summary>
/// Parses the token stream of a tabular result message (packet type 0x04). Length-prefixed tokens
/// are bounded by their own length, rows by the preceding COLMETADATA, and the whole by the
/// message: nothing is read past either. Tokens dbtls does not interpret are skipped when the
/// spec's length rules allow it; anything else is a protocol violation.
/// </summary>
internal static class TdsTokenParser
{
    /// <param name="tdsVersion">The negotiated version: before 7.2 DONE counts and message line numbers are shorter.</param>
    public static IReadOnlyList<TdsToken> Parse(ReadOnlySpan<byte> payload, uint tdsVersion = TdsVersions.V7_4)
    {
        var wide = TdsVersions.HasLogin72Fields(tdsVersion);
        var reader = new TdsSpanReader(payload, "token stream");
        var tokens = new List<TdsToken>();
        ColMetadataToken? metadata = null;
        while (!reader.IsAtEnd)
        {
            var at = reader.Position;
            var type = (TdsTokenType)reader.ReadByte("token type");
            TdsToken token;
            switch (type)
            {
                case TdsTokenType.LoginAck:
                    token = ParseLoginAck(Body(ref reader, type));
                    break;
                case TdsTokenType.EnvChange:
                    token = ParseEnvChange(Body(ref reader, type));
                    break;
                case TdsTokenType.Info:
                case TdsTokenType.Error:
                    token = ParseMessage(Body(ref reader, type), type == TdsTokenType.Error);
                    break;
                case TdsTokenType.Done:
                case TdsTokenType.DoneProc:
                case TdsTokenType.DoneInProc:
                    var status = (TdsDoneStatus)reader.ReadUInt16LittleEndian("DONE Status");
                    var command = reader.ReadUInt16LittleEndian("DONE CurCmd");
                    var count = wide ? reader.ReadUInt64LittleEndian("DONE DoneRowCount") : reader.ReadUInt32LittleEndian("DONE DoneRowCount");
                    token = new DoneToken(type, status, command, count);
                    break;
                case TdsTokenType.FeatureExtAck:
                    token = ParseFeatureExtAck(ref reader);
                    break;
                case TdsTokenType.ColMetadata:
                    metadata = ParseColMetadata(ref reader, wide);
                    token = metadata;
                    break;
                case TdsTokenType.Row:
                case TdsTokenType.NbcRow:
                    if (metadata is null)
                    {
                        throw TdsErrors.Violation($"token stream: a row at offset {at} comes before any COLMETADATA");
                    }

                    token = ParseRow(ref reader, metadata, type == TdsTokenType.NbcRow);
                    break;
                case TdsTokenType.SessionState:
                case TdsTokenType.FedAuthInfo:
                    var longLength = reader.ReadUInt32LittleEndian($"length of token 0x{(byte)type:X2}");
                    if (longLength > reader.Remaining)
                    {
                        throw TdsErrors.Violation($"token stream: token 0x{(byte)type:X2} at offset {at} claims {longLength} bytes, {reader.Remaining} remain");
                    }

                    reader.Skip((int)longLength, "token body");
                    token = new SkippedToken(type, (int)longLength);
                    break;
                default:
                    token = Skip(ref reader, type, at);
                    break;
            }

            tokens.Add(token);
        }

        return tokens;
    }

    /// <summary>The body of a token with a two-byte length, bounds-checked against the message.</summary>
    private static ReadOnlySpan<byte> Body(ref TdsSpanReader reader, TdsTokenType type)
    {
        var length = reader.ReadUInt16LittleEndian($"length of token 0x{(byte)type:X2}");
        return reader.ReadBytes(length, $"body of token 0x{(byte)type:X2}");
    }

    private static TdsToken Skip(ref TdsSpanReader reader, TdsTokenType type, int at)
    {
        var raw = (byte)type;
        switch (raw & 0x30)
        {
            case 0x30:
                var size = 1 << ((raw >> 2) & 0x3);
                reader.Skip(size, $"body of token 0x{raw:X2}");
                return new SkippedToken(type, size);
            case 0x20 when type is not (TdsTokenType.ReturnValue or TdsTokenType.DataClassification):
                var length = reader.ReadUInt16LittleEndian($"length of token 0x{raw:X2}");
                reader.Skip(length, $"body of token 0x{raw:X2}");
                return new SkippedToken(type, length);
            default:
                throw TdsErrors.Violation($"token stream: token 0x{raw:X2} at offset {at} is unknown or has no length dbtls can skip by");
        }
    }

    private static LoginAckToken ParseLoginAck(ReadOnlySpan<byte> body)
    {
        var reader = new TdsSpanReader(body, "LOGINACK");
        var @interface = reader.ReadByte("Interface");
        var version = reader.ReadUInt32BigEndian("TDSVersion");
        var name = reader.ReadBVarChar("ProgName");
        var major = reader.ReadByte("ProgVersion major");
        var minor = reader.ReadByte("ProgVersion minor");
        var build = (ushort)((reader.ReadByte("ProgVersion build high") << 8) | reader.ReadByte("ProgVersion build low"));
        return new LoginAckToken(@interface, version, name, major, minor, build);
    }

    private static EnvChangeToken ParseEnvChange(ReadOnlySpan<byte> body)
    {
        var reader = new TdsSpanReader(body, "ENVCHANGE");
        var type = reader.ReadByte("Type");
        switch (type)
        {
            case TdsEnvChangeTypes.Database:
            case TdsEnvChangeTypes.Language:
            case TdsEnvChangeTypes.CharacterSet:
            case TdsEnvChangeTypes.PacketSize:
            case 5:
            case 6:
            case TdsEnvChangeTypes.RealTimeLogShipping:
            case TdsEnvChangeTypes.UserInstance:
                var newValue = reader.ReadBVarChar("NewValue");
                var oldValue = reader.IsAtEnd ? "" : reader.ReadBVarChar("OldValue");
                return new EnvChangeToken(type, newValue, oldValue, Encoding.Unicode.GetBytes(newValue), Encoding.Unicode.GetBytes(oldValue));
            case TdsEnvChangeTypes.PromoteTransaction:
                // A 4-byte length from the server: refuse it before it is narrowed to int (found by fuzz/, tds-tokens).
                var promotedLength = reader.ReadUInt32LittleEndian("NewValue length");
                if (promotedLength > (uint)reader.Remaining)
                {
                    throw TdsErrors.Violation($"ENVCHANGE: NewValue claims {promotedLength} bytes at offset {reader.Position}, but only {reader.Remaining} remain");
                }

                var promoted = reader.ReadBytes((int)promotedLength, "NewValue").ToArray();
                return new EnvChangeToken(type, null, null, promoted, []);
            case TdsEnvChangeTypes.Routing:
                var routing = reader.ReadUsVarByte("NewValue");
                var oldRouting = reader.IsAtEnd ? [] : reader.ReadBytes(Math.Min(2, reader.Remaining), "OldValue").ToArray();
                return new EnvChangeToken(type, null, null, routing, oldRouting);
            default:
                var newData = reader.IsAtEnd ? [] : reader.ReadBVarByte("NewValue");
                var oldData = reader.IsAtEnd ? [] : reader.ReadBVarByte("OldValue");
                return new EnvChangeToken(type, null, null, newData, oldData);
        }
    }

    private static MessageToken ParseMessage(ReadOnlySpan<byte> body, bool isError)
    {
        var reader = new TdsSpanReader(body, isError ? "ERROR" : "INFO");
        var number = reader.ReadInt32LittleEndian("Number");
        var state = reader.ReadByte("State");
        var @class = reader.ReadByte("Class");
        var text = reader.ReadUsVarChar("MsgText");
        var server = reader.ReadBVarChar("ServerName");
        var procedure = reader.ReadBVarChar("ProcName");
        var line = reader.Remaining >= 4 ? reader.ReadInt32LittleEndian("LineNumber") : reader.ReadUInt16LittleEndian("LineNumber");
        return new MessageToken(isError, number, state, @class, text, server, procedure, line);
    }

    private static FeatureExtAckToken ParseFeatureExtAck(ref TdsSpanReader reader)
    {
        // No overall length: entries run until the 0xFF terminator, each bounded by the message.
        var features = new List<TdsFeature>();
        while (true)
        {
            var id = reader.ReadByte("FEATUREEXTACK FeatureId (or the 0xFF terminator)");
            if (id == TdsFeatureIds.Terminator)
            {
                return new FeatureExtAckToken(features);
            }

            var length = reader.ReadUInt32LittleEndian("FEATUREEXTACK FeatureAckDataLen");
            if (length > reader.Remaining)
            {
                throw TdsErrors.Violation($"FEATUREEXTACK: feature 0x{id:X2} claims {length} bytes, {reader.Remaining} remain");
            }

            features.Add(new TdsFeature(id, reader.ReadBytes((int)length, "FEATUREEXTACK data").ToArray()));
        }
    }

    private static ColMetadataToken ParseColMetadata(ref TdsSpanReader reader, bool wide)
    {
        var count = reader.ReadUInt16LittleEndian("COLMETADATA Count");
        if (count == 0xFFFF)
        {
            return new ColMetadataToken([]);
        }

        var columns = new List<TdsColumn>(Math.Min((int)count, 64));
        for (var i = 0; i < count; i++)
        {
            var label = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var userType = wide ? reader.ReadUInt32LittleEndian("UserType") : reader.ReadUInt16LittleEndian("UserType");
            var flags = reader.ReadUInt16LittleEndian("Flags");
            var info = TdsValueCodec.ReadTypeInfo(ref reader, label);
            var name = reader.ReadBVarChar("ColName");
            columns.Add(new TdsColumn(name, info, flags, userType));
        }

        return new ColMetadataToken(columns);
    }

    private static RowToken ParseRow(ref TdsSpanReader reader, ColMetadataToken metadata, bool nullBitmap)
    {
        var columns = metadata.Columns;
        ReadOnlySpan<byte> bitmap = nullBitmap ? reader.ReadBytes((columns.Count + 7) / 8, "NBCROW null bitmap") : [];
        var values = new object?[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            values[i] = nullBitmap && (bitmap[i / 8] & (1 << (i % 8))) != 0 ? null : TdsValueCodec.ReadValue(ref reader, columns[i]);
        }

        return new RowToken(values);
    }
}

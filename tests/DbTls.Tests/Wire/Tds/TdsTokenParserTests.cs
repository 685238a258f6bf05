using DbTls.Wire.Tds;
using static DbTls.Tests.Wire.Tds.TdsTestBytes;

namespace DbTls.Tests.Wire.Tds;

public sealed class TdsTokenParserTests
{
    [Fact]
    public void Parses_a_hand_built_login_response()
    {
        var stream = Hex("""
            E3 09 00 01 02 64 00 62 00 01 6D 00
            AB 14 00 45 16 00 00 02 00 02 00 68 00 69 00 01 53 00 00 01 00 00 00
            E3 08 00 07 05 09 04 D0 00 34 00
            AD 10 00 01 74 00 00 04 03 53 00 51 00 4C 00 10 00 0F A0
            E3 13 00 04 04 38 00 30 00 30 00 30 00 04 34 00 30 00 39 00 36 00
            AE 0A 01 00 00 00 01 FF
            FD 00 00 00 00 00 00 00 00 00 00 00 00
            """);

        var tokens = TdsTokenParser.Parse(stream);

        Assert.Collection(
            tokens,
            t => Assert.Equal(new EnvChangeToken(TdsEnvChangeTypes.Database, "db", "m", [], []) with { NewData = ((EnvChangeToken)t).NewData, OldData = ((EnvChangeToken)t).OldData }, t),
            t =>
            {
                var info = Assert.IsType<MessageToken>(t);
                Assert.False(info.IsError);
                Assert.Equal(5701, info.Number);
                Assert.Equal(2, info.State);
                Assert.Equal("hi", info.Message);
                Assert.Equal("S", info.ServerName);
                Assert.Equal(1, info.LineNumber);
            },
            t =>
            {
                var collation = Assert.IsType<EnvChangeToken>(t);
                Assert.Equal(TdsEnvChangeTypes.SqlCollation, collation.ChangeType);
                Assert.Equal(TdsCollation.Default, TdsCollation.Read(collation.NewData));
                Assert.Empty(collation.OldData);
            },
            t =>
            {
                var ack = Assert.IsType<LoginAckToken>(t);
                Assert.Equal(1, ack.Interface);
                Assert.Equal(TdsVersions.V7_4, ack.TdsVersion);
                Assert.Equal("SQL", ack.ProgramName);
                Assert.Equal("16.0.4000", ack.ServerVersion);
            },
            t => Assert.Equal(("8000", "4096"), (((EnvChangeToken)t).NewValue, ((EnvChangeToken)t).OldValue)),
            t =>
            {
                var feature = Assert.Single(Assert.IsType<FeatureExtAckToken>(t).Features);
                Assert.Equal(0x0A, feature.FeatureId);
                Assert.Equal([1], feature.Data);
            },
            t =>
            {
                var done = Assert.IsType<DoneToken>(t);
                Assert.True(done.IsFinal);
                Assert.False(done.HasError);
            });
    }

    private const string FiveColumns = """
        81 05 00
        00 00 00 00 01 00 26 04 01 69 00
        00 00 00 00 01 00 68 01 01 62 00
        00 00 00 00 01 00 A7 14 00 09 04 D0 00 34 01 76 00
        00 00 00 00 01 00 E7 50 00 09 04 D0 00 34 01 6E 00
        00 00 00 00 01 00 6F 08 01 64 00
        """;

    [Fact]
    public void Parses_metadata_and_rows_of_int_bit_varchar_nvarchar_datetime()
    {
        var stream = Hex(FiveColumns + """
            D1 04 2A 00 00 00 01 01 03 00 61 62 E9 04 00 54 00 52 00 08 EB B0 00 00 00 C1 C5 00
            D2 0A 04 FF FF FF FF 00 00 08 EB B0 00 00 00 00 00 00
            D1 00 00 FF FF FF FF 00
            FD 10 00 C1 00 03 00 00 00 00 00 00 00
            """);

        var tokens = TdsTokenParser.Parse(stream);

        var metadata = Assert.IsType<ColMetadataToken>(tokens[0]);
        Assert.Equal(["i", "b", "v", "n", "d"], metadata.Columns.Select(c => c.Name));
        Assert.Equal(TdsDataType.NVarChar, metadata.Columns[3].TypeInfo.DataType);
        Assert.Equal(80, metadata.Columns[3].TypeInfo.MaxLength);
        Assert.Equal(TdsCollation.Default, metadata.Columns[2].TypeInfo.Collation);

        Assert.Equal<object?>([42, true, "abé", "TR", new DateTime(2024, 1, 2, 12, 0, 0)], Assert.IsType<RowToken>(tokens[1]).Values);
        Assert.Equal<object?>([-1, null, "", null, new DateTime(2024, 1, 2)], Assert.IsType<RowToken>(tokens[2]).Values);
        Assert.Equal<object?>([null, null, null, null, null], Assert.IsType<RowToken>(tokens[3]).Values);

        var done = Assert.IsType<DoneToken>(tokens[4]);
        Assert.True(done.HasCount);
        Assert.Equal(0xC1, done.CurrentCommand);
        Assert.Equal(3ul, done.RowCount);
    }

    [Fact]
    public void Parses_an_error_token()
    {
        var error = Assert.IsType<MessageToken>(Assert.Single(TdsTokenParser.Parse(Hex("AA 10 00 18 48 00 00 01 0E 01 00 78 00 00 00 01 00 00 00"))));

        Assert.True(error.IsError);
        Assert.Equal(TdsTokenType.Error, error.Type);
        Assert.Equal(18456, error.Number);
        Assert.Equal(14, error.Class);
        Assert.Equal("x", error.Message);
    }

    [Fact]
    public void Tds71_done_token_has_a_four_byte_count()
    {
        var done = Assert.IsType<DoneToken>(Assert.Single(TdsTokenParser.Parse(Hex("FE 11 00 C1 00 05 00 00 00"), TdsVersions.V7_1)));

        Assert.Equal(TdsTokenType.DoneProc, done.Kind);
        Assert.False(done.IsFinal);
        Assert.Equal(5ul, done.RowCount);
    }

    [Fact]
    public void Tokens_with_a_known_length_rule_are_skipped()
    {
        var tokens = TdsTokenParser.Parse(Hex("A9 02 00 01 00  79 00 00 00 00  E4 03 00 00 00 AA BB CC  FD 00 00 00 00 00 00 00 00 00 00 00 00"));

        Assert.Equal([TdsTokenType.Order, TdsTokenType.ReturnStatus, TdsTokenType.SessionState, TdsTokenType.Done], tokens.Select(t => t.Type));
        Assert.Equal([2, 4, 3], tokens.OfType<SkippedToken>().Select(t => t.Length));
    }

    [Theory]
    [InlineData("AB FF 00 45 16", "body of token 0xAB")]
    [InlineData("D1 04 2A 00 00 00", "before any COLMETADATA")]
    [InlineData("88 01 00", "no length dbtls can skip by")]
    [InlineData("D3 00", "no length dbtls can skip by")]
    [InlineData("FD 00 00 00 00 00", "DONE DoneRowCount")]
    [InlineData("E4 FF 00 00 00 00", "claims 255 bytes")]
    [InlineData("AE 0A 05 00 00 00 01 FF", "claims 5 bytes")]
    [InlineData("AE 0A 01 00 00 00 01", "terminator")]
    [InlineData("81 01 00 00 00 00 00 01 00 E7 FF FF 09 04 D0 00 34 01 6E 00", "(MAX) type")]
    [InlineData("81 01 00 00 00 00 00 01 00 26 03 01 69 00", "declares length 3")]
    [InlineData("81 01 00 00 00 00 00 01 00 F1 01 69 00", "data type 0xF1")]
    [InlineData("81 01 00 00 00 00 00 01 00 E7 02 00 09 04 D0 00 34 01 6E 00 D1 04 00 41 00 42 00", "at most 2")]
    [InlineData("81 01 00 00 00 00 00 01 00 E7 08 00 09 04 D0 00 34 01 6E 00 D1 03 00 41 00 42", "odd number of bytes")]
    [InlineData("81 02 00 00 00 00 00 01 00 26 04", "ColName")]
    public void Malformed_streams_are_violations(string hex, string messagePart) =>
        AssertViolation(() => TdsTokenParser.Parse(Hex(hex)), messagePart);

    [Fact]
    public void Writer_output_parses_back()
    {
        var columns = new[]
        {
            new TdsColumn("encrypt_option", TdsTypeInfo.NVarChar(40)),
            new TdsColumn("session_id", TdsTypeInfo.Int()),
            new TdsColumn("client_net_address", TdsTypeInfo.VarChar(48)),
            new TdsColumn("connect_time", TdsTypeInfo.DateTime()),
            new TdsColumn("flag", TdsTypeInfo.Bit()),
        };
        var time = new DateTime(2025, 6, 30, 23, 59, 58, 990);
        var bytes = new TdsTokenWriter()
            .ColMetadata(columns)
            .Row(columns, ["TRUE", 51, "127.0.0.1", time, false])
            .Row(columns, [null, null, null, null, null])
            .Done(TdsDoneStatus.Count, 0xC1, 2)
            .ToArray();

        var tokens = TdsTokenParser.Parse(bytes);

        Assert.Equal(columns, Assert.IsType<ColMetadataToken>(tokens[0]).Columns);
        Assert.Equal<object?>(["TRUE", 51, "127.0.0.1", time, false], ((RowToken)tokens[1]).Values);
        Assert.All(((RowToken)tokens[2]).Values, Assert.Null);
        Assert.Equal(2ul, ((DoneToken)tokens[3]).RowCount);
    }
}

using DbTls.Wire.Tds;
using static DbTls.Tests.Wire.Tds.TdsTestBytes;

namespace DbTls.Tests.Wire.Tds;

public sealed class PreLoginCodecTests
{
    /// <summary>The pre-login request of MS-TDS section 4.1, packet header included.</summary>
    private const string SpecExample = """
        12 01 00 2F 00 00 01 00 00 00 1A 00 06 01 00 20
        00 01 02 00 21 00 01 03 00 22 00 04 04 00 26 00
        01 FF 09 00 00 00 00 00 01 00 B8 0D 00 00 01
        """;

    [Fact]
    public void Decodes_the_spec_example()
    {
        var packet = Hex(SpecExample);
        var header = TdsPacketHeader.Parse(packet);
        Assert.Equal(TdsPacketType.PreLogin, header.Type);
        Assert.True(header.IsEndOfMessage);
        Assert.Equal(packet.Length, header.Length);

        var message = PreLoginMessage.Decode(packet.AsSpan(TdsPacketHeader.Size));

        Assert.Equal(new PreLoginVersion(9, 0, 0, 0), message.Version);
        Assert.Equal(PreLoginEncryption.On, message.Encryption);
        Assert.Equal(string.Empty, message.InstanceName);
        Assert.Equal(0xB80D0000u, message.ThreadId);
        Assert.Equal((byte)1, message.Mars);
        Assert.Null(message.TraceId);
        Assert.Equal([0, 1, 2, 3, 4], message.OptionOrder);
        Assert.Empty(message.UnknownOptions);
    }

    [Fact]
    public void Round_trips_every_option()
    {
        var original = new PreLoginMessage
        {
            Version = new PreLoginVersion(16, 0, 4135, 7),
            Encryption = PreLoginEncryption.Required | PreLoginEncryption.ClientCertificate,
            Instance = PreLoginMessage.ClientInstance("MSSQLSERVER"),
            ThreadId = 0x01020304,
            Mars = 1,
            TraceId = new PreLoginTraceId(Guid.NewGuid(), Guid.NewGuid(), 42),
            FedAuthRequired = 1,
            Nonce = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(),
            UnknownOptions = [new PreLoginOption(0x42, [1, 2, 3])],
        };

        var decoded = PreLoginMessage.Decode(original.Encode());

        Assert.Equal(original.Version, decoded.Version);
        Assert.Equal(original.Encryption, decoded.Encryption);
        Assert.Equal(PreLoginEncryption.Required, decoded.Encryption!.Value.Mode());
        Assert.True(decoded.Encryption.Value.HasClientCertificate());
        Assert.Equal("MSSQLSERVER", decoded.InstanceName);
        Assert.Equal(original.ThreadId, decoded.ThreadId);
        Assert.Equal(original.Mars, decoded.Mars);
        Assert.Equal(original.TraceId, decoded.TraceId);
        Assert.Equal(original.FedAuthRequired, decoded.FedAuthRequired);
        Assert.Equal(original.Nonce, decoded.Nonce);
        var unknown = Assert.Single(decoded.UnknownOptions);
        Assert.Equal(0x42, unknown.Token);
        Assert.Equal([1, 2, 3], unknown.Data);
    }

    [Fact]
    public void Server_response_with_empty_thread_id_and_instance_byte_decodes()
    {
        var response = new PreLoginMessage
        {
            Version = new PreLoginVersion(16, 0, 1000, 0),
            Encryption = PreLoginEncryption.Off,
            Instance = [0],
            HasThreadIdOption = true,
            Mars = 0,
        }.Encode();

        var decoded = PreLoginMessage.Decode(response);

        Assert.True(decoded.HasThreadIdOption);
        Assert.Null(decoded.ThreadId);
        Assert.Equal([0], decoded.Instance);
        Assert.Equal(PreLoginEncryption.Off, decoded.Encryption);
    }

    [Fact]
    public void Unknown_options_are_skipped_by_their_declared_length()
    {
        var payload = PreLoginMessage.EncodeOptions(
        [
            new(0x00, [15, 0, 0, 1, 0, 0]),
            new(0x09, [0xEE, 0xEE, 0xEE]),
            new(0x01, [0x03]),
            new(0xFE, new byte[300]),
            new(0x04, [0x00]),
        ]);

        var decoded = PreLoginMessage.Decode(payload);

        Assert.Equal(new PreLoginVersion(15, 0, 1, 0), decoded.Version);
        Assert.Equal(PreLoginEncryption.Required, decoded.Encryption);
        Assert.Equal((byte)0, decoded.Mars);
        Assert.Equal([0x09, 0xFE], decoded.UnknownOptions.Select(o => o.Token));
        Assert.Equal(300, decoded.UnknownOptions[1].Data.Length);
    }

    [Fact]
    public void Undefined_encryption_values_are_kept_as_sent()
    {
        var decoded = PreLoginMessage.Decode(PreLoginMessage.EncodeOptions([new(0x00, new byte[6]), new(0x01, [0x07])]));

        Assert.Equal((PreLoginEncryption)0x07, decoded.Encryption);
        Assert.Equal("0x07", decoded.Encryption!.Value.ToSpecName());
    }

    [Fact]
    public void Table_without_terminator_is_a_violation() =>
        AssertViolation(() => PreLoginMessage.Decode(Hex("00 00 0A 00 06 01 00 0A 00 01")), "no terminator");

    [Fact]
    public void Cut_off_table_entry_is_a_violation() =>
        AssertViolation(() => PreLoginMessage.Decode(Hex("00 00 06")), "cut off");

    [Fact]
    public void Option_beyond_the_payload_is_a_violation()
    {
        var payload = PreLoginMessage.EncodeOptions([new(0x00, new byte[6]), new(0x01, [0x00])]);
        payload[6 + 2] = 0x40; // ENCRYPTION's offset low byte: far beyond the 18-byte payload

        AssertViolation(() => PreLoginMessage.Decode(payload), "beyond");
    }

    [Fact]
    public void Option_length_beyond_the_payload_is_a_violation()
    {
        var payload = PreLoginMessage.EncodeOptions([new(0x00, new byte[6]), new(0x42, new byte[4])]);
        payload[5 + 4] = 0xFF; // the unknown option claims 255 bytes

        AssertViolation(() => PreLoginMessage.Decode(payload), "beyond");
    }

    [Fact]
    public void Option_data_inside_the_table_is_a_violation()
    {
        var payload = PreLoginMessage.EncodeOptions([new(0x00, new byte[6]), new(0x01, [0x00])]);
        payload[5 + 2] = 0x00; // ENCRYPTION now points at offset 0, the table itself

        AssertViolation(() => PreLoginMessage.Decode(payload), "overlaps the option table");
    }

    [Theory]
    [InlineData(0x00, 4, "VERSION")]
    [InlineData(0x01, 2, "ENCRYPTION")]
    [InlineData(0x03, 3, "THREADID")]
    [InlineData(0x04, 0, "MARS")]
    [InlineData(0x05, 20, "TRACEID")]
    [InlineData(0x07, 16, "NONCE")]
    public void Known_option_with_wrong_length_is_a_violation(byte token, int length, string name) =>
        AssertViolation(() => PreLoginMessage.Decode(PreLoginMessage.EncodeOptions([new(token, new byte[length])])), name);

    [Fact]
    public void Duplicate_option_is_a_violation() =>
        AssertViolation(() => PreLoginMessage.Decode(PreLoginMessage.EncodeOptions([new(0x01, [0]), new(0x01, [1])])), "twice");

    [Fact]
    public void Oversized_prelogin_is_a_violation() =>
        AssertViolation(() => PreLoginMessage.Decode(PreLoginMessage.EncodeOptions([new(0x42, new byte[PreLoginMessage.MaxLength])])), "maximum");
}

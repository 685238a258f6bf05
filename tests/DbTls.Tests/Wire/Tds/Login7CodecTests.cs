using DbTls.Policy;
using DbTls.Wire.Tds;
using static DbTls.Tests.Wire.Tds.TdsTestBytes;

namespace DbTls.Tests.Wire.Tds;

public sealed class Login7CodecTests
{
    /// <summary>The LOGIN7 example of MS-TDS section 4.2, packet header included.</summary>
    private const string SpecExample = """
        10 01 00 90 00 00 01 00 88 00 00 00 02 00 09 72
        00 10 00 00 00 00 00 07 00 01 00 00 00 00 00 00
        E0 03 00 00 00 00 00 00 09 04 00 00 5E 00 08 00
        6E 00 02 00 72 00 00 00 72 00 07 00 80 00 00 00
        80 00 00 00 80 00 04 00 88 00 00 00 88 00 00 00
        00 50 8B E2 B7 8F 88 00 00 00 88 00 00 00 88 00
        00 00 00 00 00 00 73 00 6B 00 6F 00 73 00 74 00
        6F 00 76 00 31 00 73 00 61 00 4F 00 53 00 51 00
        4C 00 2D 00 33 00 32 00 4F 00 44 00 42 00 43 00
        """;

    [Fact]
    public void Password_obfuscation_swaps_nibbles_and_xors_with_a5()
    {
        // 'a' is 61 00 in UTF-16LE: 0x61 -> 0x16 -> 0xB3, 0x00 -> 0x00 -> 0xA5.
        Assert.Equal(Hex("B3 A5"), Login7Password.Obfuscate("a"));

        // 'Z' 5A 00 -> A5 ^ A5 = 00, A5; '1' 31 00 -> 13 ^ A5 = B6, A5.
        Assert.Equal(Hex("00 A5 B6 A5"), Login7Password.Obfuscate("Z1"));
        Assert.Equal("pässwörd €1", Login7Password.Deobfuscate(Login7Password.Obfuscate("pässwörd €1")));
    }

    [Fact]
    public void Decodes_the_spec_example()
    {
        var packet = Hex(SpecExample);

        var login = Login7Message.Decode(packet.AsSpan(TdsPacketHeader.Size));

        Assert.Equal(TdsVersions.V7_2, login.TdsVersion);
        Assert.Equal(4096u, login.PacketSize);
        Assert.Equal(0x07000000u, login.ClientProgramVersion);
        Assert.Equal(256u, login.ClientProcessId);
        Assert.Equal(0xE0, login.OptionFlags1);
        Assert.Equal(0x03, login.OptionFlags2);
        Assert.Equal(0x0409u, login.ClientLcid);
        Assert.Equal("skostov1", login.HostName);
        Assert.Equal("sa", login.UserName);
        Assert.True(login.Password!.IsEmpty);
        Assert.Equal("OSQL-32", login.AppName);
        Assert.Equal("", login.ServerName);
        Assert.Equal("ODBC", login.LibraryName);
        Assert.Equal("", login.Database);
        Assert.Equal(Hex("00 50 8B E2 B7 8F"), login.ClientId);
        Assert.False(login.HasExtension);
        Assert.Empty(login.Features);
    }

    [Fact]
    public void Round_trips_with_password_and_feature_extension()
    {
        var original = new Login7Message
        {
            TdsVersion = TdsVersions.V7_4,
            PacketSize = 8000,
            ClientProcessId = 4242,
            HostName = "client-host",
            UserName = "dbtls",
            Password = new Secret("Pa55-wörd!"),
            AppName = "dbtls",
            ServerName = "db.example.test",
            LibraryName = "dbtls",
            Database = "master",
            ClientId = [1, 2, 3, 4, 5, 6],
            Features = [new TdsFeature(TdsFeatureIds.Utf8Support, []), new TdsFeature(TdsFeatureIds.SessionRecovery, [9, 9, 9])],
        };

        var bytes = original.Encode();
        var decoded = Login7Message.Decode(bytes);

        Assert.Equal(bytes.Length, BitConverter.ToInt32(bytes, 0));
        Assert.Equal(original.TdsVersion, decoded.TdsVersion);
        Assert.Equal(8000u, decoded.PacketSize);
        Assert.Equal("client-host", decoded.HostName);
        Assert.Equal("dbtls", decoded.UserName);
        Assert.Equal("Pa55-wörd!", decoded.Password!.Reveal());
        Assert.Equal("db.example.test", decoded.ServerName);
        Assert.Equal("master", decoded.Database);
        Assert.Equal(original.ClientId, decoded.ClientId);
        Assert.True(decoded.HasExtension);
        Assert.Equal([TdsFeatureIds.Utf8Support, TdsFeatureIds.SessionRecovery], decoded.Features.Select(f => f.FeatureId));
        Assert.Equal([9, 9, 9], decoded.Features[1].Data);

        // The password is only on the wire obfuscated, never as UTF-16 text, and never in ToString.
        Assert.True(bytes.AsSpan().IndexOf(System.Text.Encoding.Unicode.GetBytes("Pa55-wörd!")) < 0);
        Assert.True(bytes.AsSpan().IndexOf(Login7Password.Obfuscate("Pa55-wörd!")) >= 0);
        Assert.DoesNotContain("Pa55", decoded.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Tds71_login_has_the_short_fixed_part()
    {
        var bytes = new Login7Message { TdsVersion = TdsVersions.V7_1, UserName = "u", Password = new Secret("p") }.Encode();

        Assert.Equal(Login7Message.FixedLength71, BitConverter.ToUInt16(bytes, 36)); // ibHostName: data starts right after 86 bytes
        Assert.Equal("p", Login7Message.Decode(bytes).Password!.Reveal());
    }

    [Fact]
    public void Length_larger_than_the_message_is_a_violation()
    {
        var bytes = new Login7Message { UserName = "u" }.Encode();
        bytes[0] = 0xFF;

        AssertViolation(() => Login7Message.Decode(bytes), "Length says 255 bytes");
    }

    [Fact]
    public void Length_shorter_than_the_fixed_part_is_a_violation()
    {
        var bytes = new Login7Message { UserName = "u" }.Encode();
        bytes[0] = 40;

        AssertViolation(() => Login7Message.Decode(bytes), "shorter than the 94-byte fixed part");
    }

    [Fact]
    public void Field_running_past_the_end_is_a_violation_without_leaking_the_password()
    {
        var bytes = new Login7Message { UserName = "u", Password = new Secret("secret-pw") }.Encode();
        bytes[36 + 8 + 2] = 0xF0; // cchPassword: 240 characters

        var error = AssertViolation(() => Login7Message.Decode(bytes), "Password (480 bytes");

        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_inside_the_fixed_part_is_a_violation()
    {
        var bytes = new Login7Message { UserName = "user" }.Encode();
        bytes[36 + 4] = 10; // ibUserName points into the fixed part

        AssertViolation(() => Login7Message.Decode(bytes), "inside the 94-byte fixed part");
    }

    [Fact]
    public void Feature_extension_without_terminator_is_a_violation()
    {
        var bytes = new Login7Message { Features = [new TdsFeature(0x0A, [])] }.Encode();
        bytes[^1] = 0x0B; // the 0xFF terminator becomes another feature id with no length

        AssertViolation(() => Login7Message.Decode(bytes), "FeatureDataLen");
    }

    [Fact]
    public void Feature_extension_offset_outside_the_message_is_a_violation()
    {
        var bytes = new Login7Message { UserName = "u", Features = [new TdsFeature(0x0A, [])] }.Encode();
        var pointerAt = BitConverter.ToUInt16(bytes, 36 + 20); // ibExtension
        BitConverter.GetBytes(5000u).CopyTo(bytes, pointerAt);

        AssertViolation(() => Login7Message.Decode(bytes), "FeatureExt offset 5000");
    }
}

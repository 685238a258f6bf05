using DbTls.Wire.Tds;

namespace DbTls.Tests.Wire.Tds;

/// <summary>The MS-TDS 2.2.6.5 encryption table, row by row.</summary>
public sealed class TdsEncryptionNegotiationTests
{
    private const PreLoginEncryption Off = PreLoginEncryption.Off;
    private const PreLoginEncryption On = PreLoginEncryption.On;
    private const PreLoginEncryption NotSup = PreLoginEncryption.NotSupported;
    private const PreLoginEncryption Req = PreLoginEncryption.Required;

    [Theory]
    [InlineData((byte)Off, (byte)Off, (byte)Off, (byte)TdsEncryptionOutcome.LoginOnly)]
    [InlineData((byte)Off, (byte)On, (byte)Req, (byte)TdsEncryptionOutcome.Full)]
    [InlineData((byte)Off, (byte)Req, (byte)Req, (byte)TdsEncryptionOutcome.Full)]
    [InlineData((byte)Off, (byte)NotSup, (byte)NotSup, (byte)TdsEncryptionOutcome.Unencrypted)]
    [InlineData((byte)On, (byte)Off, (byte)On, (byte)TdsEncryptionOutcome.Full)]
    [InlineData((byte)On, (byte)On, (byte)On, (byte)TdsEncryptionOutcome.Full)]
    [InlineData((byte)On, (byte)Req, (byte)On, (byte)TdsEncryptionOutcome.Full)]
    [InlineData((byte)On, (byte)NotSup, (byte)NotSup, (byte)TdsEncryptionOutcome.Terminate)]
    [InlineData((byte)NotSup, (byte)Off, (byte)NotSup, (byte)TdsEncryptionOutcome.Unencrypted)]
    [InlineData((byte)NotSup, (byte)On, (byte)Req, (byte)TdsEncryptionOutcome.Terminate)]
    [InlineData((byte)NotSup, (byte)NotSup, (byte)NotSup, (byte)TdsEncryptionOutcome.Unencrypted)]
    // The cases are bytes because the wire types are internal and a public test method cannot take them.
    public void Server_answer_and_outcome(byte clientByte, byte serverSettingByte, byte expectedAnswerByte, byte expectedOutcomeByte)
    {
        var (client, serverSetting, expectedAnswer, expectedOutcome) =
            ((PreLoginEncryption)clientByte, (PreLoginEncryption)serverSettingByte, (PreLoginEncryption)expectedAnswerByte, (TdsEncryptionOutcome)expectedOutcomeByte);
        var answer = TdsEncryptionNegotiation.ServerAnswer(client, serverSetting);

        Assert.Equal(expectedAnswer, answer);
        Assert.Equal(expectedOutcome, TdsEncryptionNegotiation.Outcome(client, answer));
    }

    [Theory]
    [InlineData((byte)Off, (byte)TdsEncryptionOutcome.Unencrypted)]
    [InlineData((byte)NotSup, (byte)TdsEncryptionOutcome.Unencrypted)]
    [InlineData((byte)On, (byte)TdsEncryptionOutcome.Terminate)]
    public void Omitted_option_means_the_server_cannot_encrypt(byte client, byte expected) =>
        Assert.Equal((TdsEncryptionOutcome)expected, TdsEncryptionNegotiation.Outcome((PreLoginEncryption)client, null));

    [Fact]
    public void Client_certificate_flag_does_not_change_the_mode() =>
        Assert.Equal(TdsEncryptionOutcome.LoginOnly, TdsEncryptionNegotiation.Outcome(Off | PreLoginEncryption.ClientCertificate, Off | PreLoginEncryption.ClientCertificate));
}

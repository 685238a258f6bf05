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
    [InlineData(Off, Off, Off, TdsEncryptionOutcome.LoginOnly)]
    [InlineData(Off, On, Req, TdsEncryptionOutcome.Full)]
    [InlineData(Off, Req, Req, TdsEncryptionOutcome.Full)]
    [InlineData(Off, NotSup, NotSup, TdsEncryptionOutcome.Unencrypted)]
    [InlineData(On, Off, On, TdsEncryptionOutcome.Full)]
    [InlineData(On, On, On, TdsEncryptionOutcome.Full)]
    [InlineData(On, Req, On, TdsEncryptionOutcome.Full)]
    [InlineData(On, NotSup, NotSup, TdsEncryptionOutcome.Terminate)]
    [InlineData(NotSup, Off, NotSup, TdsEncryptionOutcome.Unencrypted)]
    [InlineData(NotSup, On, Req, TdsEncryptionOutcome.Terminate)]
    [InlineData(NotSup, NotSup, NotSup, TdsEncryptionOutcome.Unencrypted)]
    public void Server_answer_and_outcome(PreLoginEncryption client, PreLoginEncryption serverSetting, PreLoginEncryption expectedAnswer, TdsEncryptionOutcome expectedOutcome)
    {
        var answer = TdsEncryptionNegotiation.ServerAnswer(client, serverSetting);

        Assert.Equal(expectedAnswer, answer);
        Assert.Equal(expectedOutcome, TdsEncryptionNegotiation.Outcome(client, answer));
    }

    [Theory]
    [InlineData(Off, TdsEncryptionOutcome.Unencrypted)]
    [InlineData(NotSup, TdsEncryptionOutcome.Unencrypted)]
    [InlineData(On, TdsEncryptionOutcome.Terminate)]
    public void Omitted_option_means_the_server_cannot_encrypt(PreLoginEncryption client, TdsEncryptionOutcome expected) =>
        Assert.Equal(expected, TdsEncryptionNegotiation.Outcome(client, null));

    [Fact]
    public void Client_certificate_flag_does_not_change_the_mode() =>
        Assert.Equal(TdsEncryptionOutcome.LoginOnly, TdsEncryptionNegotiation.Outcome(Off | PreLoginEncryption.ClientCertificate, Off | PreLoginEncryption.ClientCertificate));
}

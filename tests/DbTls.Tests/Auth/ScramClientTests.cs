using System.Text;
using DbTls.Auth;

namespace DbTls.Tests.Auth;

public sealed class ScramClientTests
{
    private static readonly ScramRules Lenient = new(1, 1_000_000, NonceMustGrow: false, ExtensionsAllowed: true);
    private static readonly ScramRules Strict = new(4096, 10_000, NonceMustGrow: true, ExtensionsAllowed: false);

    private static Func<byte[]> Password(string text) => () => Encoding.UTF8.GetBytes(text);

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    [Fact]
    public void Rfc_5802_sha_1_example()
    {
        var scram = new ScramClient(ScramHash.Sha1, "user", ScramChannelBinding.NotSupported, [], "fyko+d2lbbFgONRv9qkxdawL", Lenient);
        Assert.Equal("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL", Text(scram.ClientFirstMessage()));
        var final = scram.ClientFinalMessage("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"u8, Password("pencil"));
        Assert.Equal("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=", Text(final));
        scram.VerifyServerFinal("v=rmF9pqV8S7suAoZWja4dJRkFsKQ="u8);
        Assert.True(scram.ServerVerified);
        Assert.Equal(4096, scram.Iterations);
    }

    [Fact]
    public void Rfc_7677_sha_256_example()
    {
        var scram = new ScramClient(ScramHash.Sha256, "user", ScramChannelBinding.NotSupported, [], "rOprNGfwEbeRWgbNEkqO", Lenient);
        Assert.Equal("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", Text(scram.ClientFirstMessage()));
        var final = scram.ClientFinalMessage("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"u8, Password("pencil"));
        Assert.Equal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", Text(final));
        scram.VerifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="u8);
        Assert.True(scram.ServerVerified);
    }

    [Theory]
    [InlineData((int)ScramChannelBinding.NotSupported, "n,,n=a=3Db=2Cc,r=N")]
    [InlineData((int)ScramChannelBinding.SupportedButNotOffered, "y,,n=a=3Db=2Cc,r=N")]
    [InlineData((int)ScramChannelBinding.TlsServerEndPoint, "p=tls-server-end-point,,n=a=3Db=2Cc,r=N")]
    public void Gs2_header_carries_the_channel_binding_flag_and_the_name_is_escaped(int binding, string expected) =>
        // An int in the signature: ScramChannelBinding is internal and a public test method cannot take it.
        Assert.Equal(expected, Text(new ScramClient(ScramHash.Sha256, "a=b,c", (ScramChannelBinding)binding, [1, 2, 3], "N", Lenient).ClientFirstMessage()));

    [Fact]
    public void Channel_binding_data_follows_the_gs2_header_in_c()
    {
        var scram = new ScramClient(ScramHash.Sha256, "", ScramChannelBinding.TlsServerEndPoint, [1, 2, 3], "N", Lenient);
        var final = Text(scram.ClientFinalMessage("r=NS,s=AAAA,i=1"u8, Password("p")));
        Assert.StartsWith($"c={Convert.ToBase64String([.. "p=tls-server-end-point,,"u8.ToArray(), 1, 2, 3])},r=NS,p=", final, StringComparison.Ordinal);
    }

    [Fact]
    public void Plus_without_binding_data_is_a_programming_error() =>
        Assert.Throws<ArgumentException>(() => new ScramClient(ScramHash.Sha256, "", ScramChannelBinding.TlsServerEndPoint, [], "N", Lenient));

    [Theory]
    [InlineData("r=NX,s=AAAA,i=4095", (int)ScramFailure.IterationsTooFew)]
    [InlineData("r=NX,s=AAAA,i=10001", (int)ScramFailure.IterationsTooMany)]
    [InlineData("r=NX,s=AAAA,i=99999999999999", (int)ScramFailure.Malformed)] // overflows int
    [InlineData("r=NX,s=AAAA,i=+4096", (int)ScramFailure.Malformed)]
    [InlineData("r=N,s=AAAA,i=4096", (int)ScramFailure.NonceMismatch)] // not extended, and these rules require it
    [InlineData("r=MX,s=AAAA,i=4096", (int)ScramFailure.NonceMismatch)]
    [InlineData("r=N\u00E9,s=AAAA,i=4096", (int)ScramFailure.Malformed)] // non-ASCII nonce
    [InlineData("r=NX,s=,i=4096", (int)ScramFailure.Malformed)]
    [InlineData("r=NX,s=!!!!,i=4096", (int)ScramFailure.Malformed)]
    [InlineData("r=NX,s=AAAA,i=4096,x=1", (int)ScramFailure.Malformed)] // extension these rules refuse
    [InlineData("s=AAAA,r=NX,i=4096", (int)ScramFailure.Malformed)] // RFC 5802 fixes the order
    [InlineData("m=ext,r=NX,s=AAAA,i=4096", (int)ScramFailure.UnsupportedExtension)]
    [InlineData("e=other-error", (int)ScramFailure.ServerError)]
    [InlineData("", (int)ScramFailure.Malformed)]
    [InlineData("r=NX\t,s=AAAA,i=4096", (int)ScramFailure.Malformed)] // control byte
    public void Hostile_server_first_messages_fail_typed_before_the_password_is_touched(string serverFirst, int failureValue)
    {
        var failure = (ScramFailure)failureValue; // an int in the signature: the enum is internal and a public test method cannot take it
        var scram = new ScramClient(ScramHash.Sha256, "u", ScramChannelBinding.NotSupported, [], "N", Strict);
        var asked = false;
        var ex = Assert.Throws<ScramException>(() => scram.ClientFinalMessage(Encoding.UTF8.GetBytes(serverFirst), () =>
        {
            asked = true;
            return [];
        }));
        Assert.Equal(failure, ex.Failure);
        Assert.False(asked);
        Assert.False(scram.ProofSent);
    }

    [Fact]
    public void Oversized_invalid_utf8_and_huge_salt_messages_are_malformed()
    {
        var scram = new ScramClient(ScramHash.Sha256, "u", ScramChannelBinding.NotSupported, [], "N", Lenient);
        var huge = Encoding.ASCII.GetBytes("r=NX,s=" + new string('A', ScramRules.MaxServerMessageLength) + ",i=1");
        Assert.Equal(ScramFailure.Malformed, Assert.Throws<ScramException>(() => scram.ClientFinalMessage(huge, Password("p"))).Failure);
        Assert.Equal(ScramFailure.Malformed, Assert.Throws<ScramException>(() => scram.ClientFinalMessage([(byte)'r', (byte)'=', 0xC3, 0x28], Password("p"))).Failure);
        var bigSalt = Encoding.ASCII.GetBytes($"r=NX,s={Convert.ToBase64String(new byte[ScramRules.MaxSaltLength + 3])},i=1");
        Assert.Equal(ScramFailure.Malformed, Assert.Throws<ScramException>(() => scram.ClientFinalMessage(bigSalt, Password("p"))).Failure);
    }

    [Fact]
    public void Lenient_rules_accept_an_equal_nonce_and_trailing_extensions()
    {
        var scram = new ScramClient(ScramHash.Sha256, "u", ScramChannelBinding.NotSupported, [], "N", Lenient);
        Assert.NotEmpty(scram.ClientFinalMessage("r=N,s=AAAA,i=1,x=future"u8, Password("p")));
    }

    [Fact]
    public void Server_final_failures_are_typed()
    {
        var scram = new ScramClient(ScramHash.Sha256, "user", ScramChannelBinding.NotSupported, [], "rOprNGfwEbeRWgbNEkqO", Strict);
        Assert.Equal(ScramFailure.OutOfOrder, Assert.Throws<ScramException>(() => scram.VerifyServerFinal("v=AAAA"u8)).Failure);
        scram.ClientFinalMessage("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"u8, Password("pencil"));

        Assert.Equal(ScramFailure.SignatureMissing, Assert.Throws<ScramException>(() => scram.VerifyServerFinal("x=1"u8)).Failure);
        Assert.Equal(ScramFailure.SignatureMalformed, Assert.Throws<ScramException>(() => scram.VerifyServerFinal("v=***"u8)).Failure);
        Assert.Equal(ScramFailure.SignatureWrong, Assert.Throws<ScramException>(() => scram.VerifyServerFinal("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="u8)).Failure);
        Assert.Equal(ScramFailure.Malformed, Assert.Throws<ScramException>(() => scram.VerifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=,x=1"u8)).Failure);
        var error = Assert.Throws<ScramException>(() => scram.VerifyServerFinal("e=invalid-proof\u00E9"u8));
        Assert.Equal(ScramFailure.ServerError, error.Failure);
        Assert.Equal("invalid-proof?", error.Message); // server text is reduced to printable ASCII
        Assert.False(scram.ServerVerified);

        scram.VerifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="u8);
        Assert.True(scram.ServerVerified);
    }
}

using System.Text;
using DbTls.Auth;
using DbTls.Diagnostics;
using DbTls.Wire.Postgres;

namespace DbTls.Tests.Wire.Postgres;

public sealed class ScramSha256ClientTests
{
    private const string ClientNonce = "rOprNGfwEbeRWgbNEkqO";

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    [Fact]
    public void Rfc7677_test_vector()
    {
        // RFC 7677 section 3: user "user", password "pencil".
        using var scram = new ScramSha256Client("pencil", ScramChannelBinding.NotSupported, null, ClientNonce, userName: "user");

        Assert.Equal("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", Encoding.ASCII.GetString(scram.ClientFirstMessage()));
        var final = scram.ClientFinalMessage(Ascii("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        Assert.Equal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", Encoding.ASCII.GetString(final));
        scram.VerifyServerFinal(Ascii("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
        Assert.True(scram.ServerVerified);
        Assert.Equal("SCRAM-SHA-256", scram.Mechanism);
    }

    [Fact]
    public void Wrong_server_signature_is_rejected()
    {
        using var scram = new ScramSha256Client("pencil", ScramChannelBinding.NotSupported, null, ClientNonce, userName: "user");
        scram.ClientFinalMessage(Ascii("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));

        var ex = Assert.Throws<DbTlsException>(() => scram.VerifyServerFinal(Ascii("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
        Assert.Equal(FindingCodes.AuthFailed, ex.Code);
        Assert.False(scram.ServerVerified);
    }

    [Fact]
    public void Plus_binds_the_certificate_hash_into_the_proof()
    {
        // Expected values computed independently (Python hashlib/hmac) for channel-binding data 0x01..0x20.
        var bindingData = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        using var scram = new ScramSha256Client("pencil", ScramChannelBinding.TlsServerEndPoint, bindingData, ClientNonce);

        Assert.Equal("SCRAM-SHA-256-PLUS", scram.Mechanism);
        Assert.Equal("p=tls-server-end-point,,n=,r=rOprNGfwEbeRWgbNEkqO", Encoding.ASCII.GetString(scram.ClientFirstMessage()));
        var final = scram.ClientFinalMessage(Ascii("r=rOprNGfwEbeRWgbNEkqOsrv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        Assert.Equal("c=cD10bHMtc2VydmVyLWVuZC1wb2ludCwsAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=,r=rOprNGfwEbeRWgbNEkqOsrv,p=1bgmVOY/iszWxT1HV+JqlDdCWtWofi4rf342SPCt1ks=", Encoding.ASCII.GetString(final));
        scram.VerifyServerFinal(Ascii("v=pMNqF+oRmJrxH5Ayx5aVDIYAubalcxhftLLYSn0JFOQ="));
        Assert.True(scram.ServerVerified);
    }

    [Fact]
    public void Client_that_supports_binding_but_was_not_offered_it_says_y()
    {
        using var scram = new ScramSha256Client("pencil", ScramChannelBinding.SupportedButNotOffered, null, ClientNonce);

        Assert.Equal("y,,n=,r=rOprNGfwEbeRWgbNEkqO", Encoding.ASCII.GetString(scram.ClientFirstMessage()));
        var final = scram.ClientFinalMessage(Ascii("r=rOprNGfwEbeRWgbNEkqOsrv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        Assert.Equal("c=eSws,r=rOprNGfwEbeRWgbNEkqOsrv,p=O+7yEiq+u9fbltp4FkJ96XO9KZrCVMkVhhVQ9VSGB5o=", Encoding.ASCII.GetString(final));
        scram.VerifyServerFinal(Ascii("v=ZIbwQaZ9J8ehRO4RgWL0SKDYfqNToTEGsNydkFFv9og="));
    }

    [Fact]
    public void Random_nonce_is_18_bytes_of_base64()
    {
        using var scram = new ScramSha256Client("pencil", ScramChannelBinding.NotSupported, null);
        var first = Encoding.ASCII.GetString(scram.ClientFirstMessage());
        var nonce = first[(first.IndexOf("r=", StringComparison.Ordinal) + 2)..];
        Assert.Equal(18, Convert.FromBase64String(nonce).Length);
    }

    [Theory]
    [InlineData("r=someoneelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "does not start with the client's nonce")]
    [InlineData("m=ext,r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "extension")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOx,s=***,i=4096", "base64")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOx,s=,i=4096", "salt")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0", "iteration count")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=-5", "iteration count")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==", "r=…,s=…,i=…")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOx,i=4096,s=W22ZaJ0SNY7soEsUEjb6gQ==", "attribute 's'")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,x=1", "r=…,s=…,i=…")]
    public void Malformed_server_first_message_is_a_protocol_violation(string serverFirst, string expected)
    {
        using var scram = new ScramSha256Client("pencil", ScramChannelBinding.NotSupported, null, ClientNonce);
        var ex = Assert.Throws<DbTlsException>(() => scram.ClientFinalMessage(Ascii(serverFirst)));
        Assert.Equal(FindingCodes.ServerProtocolViolation, ex.Code);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_first_message_with_control_bytes_is_refused()
    {
        using var scram = new ScramSha256Client("pencil", ScramChannelBinding.NotSupported, null, ClientNonce);
        var ex = Assert.Throws<DbTlsException>(() => scram.ClientFinalMessage([.. Ascii("r=rOprNGfwEbeRWgbNEkqOx\n,s=AA==,i=1"), 0]));
        Assert.Equal(FindingCodes.ServerProtocolViolation, ex.Code);
    }

    [Fact]
    public void Huge_iteration_count_is_refused_before_any_work()
    {
        using var scram = new ScramSha256Client("pencil", ScramChannelBinding.NotSupported, null, ClientNonce);
        var ex = Assert.Throws<DbTlsException>(() => scram.ClientFinalMessage(Ascii("r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=2000000000")));
        Assert.Equal(FindingCodes.AuthFailed, ex.Code);
    }

    [Fact]
    public void Server_error_attribute_fails_authentication_with_its_text()
    {
        using var scram = new ScramSha256Client("pencil", ScramChannelBinding.NotSupported, null, ClientNonce);
        scram.ClientFinalMessage(Ascii("r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        var ex = Assert.Throws<DbTlsException>(() => scram.VerifyServerFinal(Ascii("e=channel-bindings-dont-match")));
        Assert.Equal(FindingCodes.AuthFailed, ex.Code);
        Assert.Contains("channel-bindings-dont-match", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_final_before_the_proof_is_a_protocol_violation()
    {
        using var scram = new ScramSha256Client("pencil", ScramChannelBinding.NotSupported, null, ClientNonce);
        var ex = Assert.Throws<DbTlsException>(() => scram.VerifyServerFinal(Ascii("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
        Assert.Equal(FindingCodes.ServerProtocolViolation, ex.Code);
    }
}

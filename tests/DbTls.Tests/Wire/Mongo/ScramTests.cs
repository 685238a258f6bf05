using System.Text;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Wire.Mongo;

namespace DbTls.Tests.Wire.Mongo;

/// <summary>SCRAM against the published conversations (RFC 7677 for SHA-256; the MongoDB auth spec's SCRAM-SHA-1 example with its password digest).</summary>
public class ScramTests
{
    [Fact]
    public void Scram_sha_256_matches_rfc_7677()
    {
        var scram = new ScramConversation(ScramMechanism.Sha256, "user", new Secret("pencil"), "rOprNGfwEbeRWgbNEkqO");
        Assert.Equal("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", Encoding.UTF8.GetString(scram.CreateClientFirst()));
        var final = scram.CreateClientFinal("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"u8);
        Assert.Equal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", Encoding.UTF8.GetString(final));
        scram.VerifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="u8);
        Assert.True(scram.ServerVerified);
        Assert.Equal(4096, scram.Iterations);
    }

    [Fact]
    public void Scram_sha_1_uses_the_mongodb_password_digest()
    {
        var scram = new ScramConversation(ScramMechanism.Sha1, "user", new Secret("pencil"), "fyko+d2lbbFgONRv9qkxdawL");
        scram.CreateClientFirst();
        var final = scram.CreateClientFinal("r=fyko+d2lbbFgONRv9qkxdawLHo+Vgk7qvUOKUwuWLIWg4l/9SraGMHEE,s=rQ9ZY3MntBeuP3E1TDVC4w==,i=10000"u8);
        Assert.EndsWith(",p=MC2T8BvbmWRckDw8oWl5IVghwCY=", Encoding.UTF8.GetString(final), StringComparison.Ordinal);
        scram.VerifyServerFinal("v=UMWeI25JD1yNYZRMpZ4VHvhZ9e0="u8);
        Assert.True(scram.ServerVerified);
    }

    [Fact]
    public void Wrong_server_signature_is_refused()
    {
        var scram = new ScramConversation(ScramMechanism.Sha256, "user", new Secret("pencil"), "rOprNGfwEbeRWgbNEkqO");
        scram.CreateClientFirst();
        scram.CreateClientFinal("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"u8);
        var ex = Assert.Throws<DbTlsException>(() => scram.VerifyServerFinal("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="u8));
        Assert.Equal(FindingCodes.AuthServerSignatureInvalid, ex.Code);
        Assert.False(scram.ServerVerified);
        Assert.Equal(FindingCodes.AuthServerSignatureInvalid, Assert.Throws<DbTlsException>(() => scram.VerifyServerFinal("x=1"u8)).Code);
        Assert.Equal(FindingCodes.AuthFailed, Assert.Throws<DbTlsException>(() => scram.VerifyServerFinal("e=invalid-proof"u8)).Code);
    }

    [Theory]
    [InlineData("r=abc123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4095", FindingCodes.AuthFailed)] // below the 4096 floor
    [InlineData("r=abc123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999", FindingCodes.ServerProtocolViolation)]
    [InlineData("r=xyz123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", FindingCodes.AuthServerSignatureInvalid)] // nonce not ours
    [InlineData("r=abc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", FindingCodes.AuthServerSignatureInvalid)] // nonce not extended
    [InlineData("m=ext,r=abc123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", FindingCodes.ServerProtocolViolation)]
    [InlineData("r=abc123,s=not base64!,i=4096", FindingCodes.ServerProtocolViolation)]
    [InlineData("r=abc123,i=4096", FindingCodes.ServerProtocolViolation)]
    [InlineData("r=abc123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=-4096", FindingCodes.ServerProtocolViolation)]
    [InlineData("garbage", FindingCodes.ServerProtocolViolation)]
    [InlineData("e=unknown-user", FindingCodes.AuthFailed)]
    public void Bad_server_first_messages_are_refused(string serverFirst, string code)
    {
        var scram = new ScramConversation(ScramMechanism.Sha256, "user", new Secret("pencil"), "abc");
        scram.CreateClientFirst();
        Assert.Equal(code, Assert.Throws<DbTlsException>(() => scram.CreateClientFinal(Encoding.UTF8.GetBytes(serverFirst))).Code);
    }

    [Fact]
    public void User_names_are_escaped_not_saslprepped() =>
        Assert.Equal("n,,n=a=3Db=2Cc\u2168,r=n", Encoding.UTF8.GetString(new ScramConversation(ScramMechanism.Sha256, "a=b,c\u2168", new Secret("p"), "n").CreateClientFirst()));

    [Fact]
    public void Password_digest_is_hex_md5_of_user_mongo_password() =>
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData("user:mongo:pencil"u8)), ScramConversation.MongoPasswordDigest("user", "pencil"));

    [Theory]
    [InlineData("a\u0007b")]
    [InlineData("a\u007Fb")]
    [InlineData("\uE000")]
    [InlineData("a\u200Eb")]
    [InlineData("\uFFFF")]
    [InlineData("\uD800x")]
    [InlineData("a\u0221b")] // unassigned in Unicode 3.2: the drivers treat passwords as stored strings
    [InlineData("\u05D0a\u05D0")] // Hebrew around a Latin letter breaks the bidi rule
    public void Sha256_refuses_a_password_saslprep_refuses_without_echoing_it(string password)
    {
        var scram = new ScramConversation(ScramMechanism.Sha256, "user", new Secret(password), "abc");
        scram.CreateClientFirst();
        var ex = Assert.Throws<DbTlsException>(() => scram.CreateClientFinal("r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"u8));
        Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);
        Assert.DoesNotContain(password, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sha1_does_not_saslprep_the_password_it_digests_it()
    {
        // A control character SASLprep refuses is fine for SCRAM-SHA-1, which hashes hex(md5(user:mongo:password)).
        var scram = new ScramConversation(ScramMechanism.Sha1, "user", new Secret("a\u0007b"), "abc");
        scram.CreateClientFirst();
        Assert.StartsWith("c=biws,r=abcdef,p=", Encoding.UTF8.GetString(scram.CreateClientFinal("r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"u8)), StringComparison.Ordinal);
    }

    [Fact]
    public void Sha256_proof_uses_the_nfkc_form_of_a_compatibility_password()
    {
        Assert.Equal(Proof("IX"), Proof("\u2168"));
        Assert.NotEqual(Proof("IX"), Proof("IY"));
    }

    private static string Proof(string password)
    {
        var scram = new ScramConversation(ScramMechanism.Sha256, "user", new Secret(password), "abc");
        scram.CreateClientFirst();
        return Encoding.UTF8.GetString(scram.CreateClientFinal("r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"u8));
    }
}

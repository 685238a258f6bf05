using DbTls.Auth;
using DbTls.Fuzz.Engine;
using DbTls.Wire.Postgres;

namespace DbTls.Fuzz.Targets;

/// <summary>
/// libpq-style SCRAM-SHA-256: server-first-message, then (after a NUL in the input) server-final-message.
/// The client nonce is fixed so that recorded server-first messages pass the nonce check and the
/// fuzzer reaches salt, iteration count and signature parsing.
/// </summary>
internal sealed class PgScramTarget : FuzzTarget
{
    /// <summary>The client nonce of the seed recordings (fuzz/corpus/pg-scram).</summary>
    public const string ClientNonce = "dbtlsFuzzClientNonce0001";

    /// <summary>
    /// The test role's password of the recording (PostgresUsers.PlainPassword in the tests), so that the
    /// recorded exchange verifies completely and mutants start from a successful login.
    /// </summary>
    private const string RecordedPassword = "Plain-Pw-5d7718ab";

    public override string Name => "pg-scram";

    public override string Reaches => "ScramSha256Client.ClientFinalMessage, ScramSha256Client.VerifyServerFinal";

    public override IReadOnlyList<byte[]> Dictionary { get; } = TargetHelpers.Ascii(
        "r=" + ClientNonce, ",s=", ",i=", "i=1", "i=4096", "i=99999999", "v=", "e=invalid-proof", "m=", "=", ",", "\0", "==");

    public override TimeSpan MinimumTimeout => TimeSpan.FromSeconds(60);

    public override void Run(byte[] input)
    {
        var (serverFirst, serverFinal) = TargetHelpers.SplitAtNul(input);
        using var client = new ScramSha256Client(RecordedPassword, ScramChannelBinding.NotSupported, null, ClientNonce);
        _ = client.ClientFirstMessage();
        _ = client.ClientFinalMessage(serverFirst);
        client.VerifyServerFinal(serverFinal);
    }
}

using DbTls.Fuzz.Engine;
using DbTls.Policy;
using DbTls.Wire.Mongo;

namespace DbTls.Fuzz.Targets;

/// <summary>
/// MongoDB SCRAM payloads: server-first, then (after a NUL in the input) server-final, with SCRAM-SHA-256
/// (SCRAM-SHA-1 parses with the same code and differs only in the hash). The client nonce is fixed so
/// that recorded server-first messages pass the nonce check.
/// </summary>
internal sealed class MongoScramTarget : FuzzTarget
{
    /// <summary>The client nonce of the seed recordings (fuzz/corpus/mongo-scram).</summary>
    public const string ClientNonce = "dbtlsFuzzMongoNonce00001";

    /// <summary>The test user's password of the recording (MongoCheckHarness.Alice), so that the recorded exchange verifies completely.</summary>
    private static readonly Secret Password = new("Alice-Pw-93!");

    public override string Name => "mongo-scram";

    public override string Reaches => "ScramConversation.CreateClientFinal, ScramConversation.VerifyServerFinal";

    public override IReadOnlyList<byte[]> Dictionary { get; } = TargetHelpers.Ascii(
        "r=" + ClientNonce, ",s=", ",i=", "i=4096", "i=15000", "i=99999999", "v=", "e=", "m=", "=", ",", "\0", "==");

    public override TimeSpan MinimumTimeout => TimeSpan.FromSeconds(60);

    public override void Run(byte[] input)
    {
        var (serverFirst, serverFinal) = TargetHelpers.SplitAtNul(input);
        var conversation = new ScramConversation(ScramMechanism.Sha256, "alice", Password, ClientNonce);
        _ = conversation.CreateClientFirst();
        _ = conversation.CreateClientFinal(serverFirst);
        conversation.VerifyServerFinal(serverFinal);
    }
}

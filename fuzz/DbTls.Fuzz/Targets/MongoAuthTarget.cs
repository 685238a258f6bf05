using System.Collections.Immutable;
using DbTls.Fuzz.Engine;
using DbTls.Fuzz.Transport;
using DbTls.Policy;
using DbTls.Wire.Mongo;

namespace DbTls.Fuzz.Targets;

/// <summary>
/// The saslStart/saslContinue replies of a MongoDB login: ok/errmsg, conversationId, the payload binary
/// and its size limit, done. The client nonce is random here (as in a real login), so SCRAM payload
/// parsing is left to mongo-scram and this target covers the command replies around it.
/// </summary>
internal sealed class MongoAuthTarget : FuzzTarget
{
    private static readonly MongoCredential Credential = new("fuzz", new Secret("fuzz-password"), "admin");

    private static readonly MongoHelloReply Hello = new()
    {
        Raw = [],
        MaxWireVersion = 21,
        SaslSupportedMechs = ImmutableArray.Create(ScramMechanismNames.Sha256),
    };

    public override string Name => "mongo-auth";

    public override string Reaches => "MongoAuthenticator.AuthenticateAsync (saslStart/saslContinue replies), MongoWireConnection";

    public override IReadOnlyList<byte[]> Dictionary => MongoTokens.Dictionary;

    public override void Run(byte[] input) => TargetHelpers.Wait(RunAsync(input));

    private static async Task RunAsync(byte[] input)
    {
        var connection = new MongoWireConnection(new MongoReplayStream(input));
        await using (connection.ConfigureAwait(false))
        {
            _ = await MongoAuthenticator.AuthenticateAsync(connection, Credential, Hello, null, CancellationToken.None).ConfigureAwait(false);
        }
    }
}

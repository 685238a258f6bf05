using DbTls.Fuzz.Engine;
using DbTls.Fuzz.Transport;
using DbTls.Wire.Mongo;
using MongoDB.Bson;

namespace DbTls.Fuzz.Targets;

/// <summary>
/// Replies to hello and to a second command as MongoWireConnection reads them: message framing and
/// size limits, responseTo, opCode, OP_MSG sections, BSON, the hello fields and command errors.
/// </summary>
internal sealed class MongoWireTarget : FuzzTarget
{
    public override string Name => "mongo-wire";

    public override string Reaches => "MongoWireConnection.RunCommandAsync, MongoMessageReader, MongoMessageHeader, OpMsg.Decode, MongoHelloReply.Parse";

    public override IReadOnlyList<byte[]> Dictionary => MongoTokens.Dictionary;

    public override void Run(byte[] input) => TargetHelpers.Wait(RunAsync(input));

    private static async Task RunAsync(byte[] input)
    {
        var connection = new MongoWireConnection(new MongoReplayStream(input));
        await using (connection.ConfigureAwait(false))
        {
            var reply = await connection.RunCommandRawAsync("admin", new BsonDocument("hello", 1), CancellationToken.None).ConfigureAwait(false);
            var hello = MongoHelloReply.Parse(reply);
            connection.MaxMessageSize = hello.MaxMessageSizeBytes;
            _ = await connection.RunCommandAsync("admin", new BsonDocument("ping", 1), CancellationToken.None).ConfigureAwait(false);
        }
    }
}

using DbTls.Fuzz.Engine;
using DbTls.Wire.Mongo;

namespace DbTls.Fuzz.Targets;

/// <summary>One whole OP_REPLY (the legacy answer to an OP_QUERY hello) and each of its documents read as a hello reply.</summary>
internal sealed class MongoOpReplyTarget : FuzzTarget
{
    public override string Name => "mongo-opreply";

    public override string Reaches => "OpReply.Decode, MongoBson, BsonStructure, MongoHelloReply.Parse";

    public override IReadOnlyList<byte[]> Dictionary => MongoTokens.Dictionary;

    public override void Run(byte[] input)
    {
        foreach (var document in OpReply.Decode(input).Documents)
        {
            _ = MongoHelloReply.Parse(document);
        }
    }
}

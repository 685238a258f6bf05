using DbTls.Fuzz.Engine;
using DbTls.Wire.Mongo;

namespace DbTls.Fuzz.Targets;

/// <summary>One BSON document: the structural walk dbtls runs before MongoDB.Bson decodes it, the decoding, and the hello fields.</summary>
internal sealed class MongoBsonTarget : FuzzTarget
{
    public override string Name => "mongo-bson";

    public override string Reaches => "MongoBson.ReadSingleDocument (BsonStructure.Validate, BsonBinaryReader), MongoHelloReply.Parse";

    public override IReadOnlyList<byte[]> Dictionary => MongoTokens.Dictionary;

    public override void Run(byte[] input) => _ = MongoHelloReply.Parse(MongoBson.ReadSingleDocument(input, "the fuzz document"));
}

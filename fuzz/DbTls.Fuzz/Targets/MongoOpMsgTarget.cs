using DbTls.Fuzz.Engine;
using DbTls.Wire.Mongo;

namespace DbTls.Fuzz.Targets;

/// <summary>One whole OP_MSG (header, flag bits, body and document-sequence sections, checksum) and its body read as a hello reply.</summary>
internal sealed class MongoOpMsgTarget : FuzzTarget
{
    public override string Name => "mongo-opmsg";

    public override string Reaches => "OpMsg.Decode (MongoMessageHeader, sections, CRC-32C), MongoBson, BsonStructure, MongoHelloReply.Parse";

    public override IReadOnlyList<byte[]> Dictionary => MongoTokens.Dictionary;

    public override void Run(byte[] input) => _ = MongoHelloReply.Parse(OpMsg.Decode(input).Body);
}

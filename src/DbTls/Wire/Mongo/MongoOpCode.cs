namespace DbTls.Wire.Mongo;

/// <summary>The opCode field of a MongoDB message header.</summary>
internal enum MongoOpCode
{
    /// <summary>OP_REPLY: the answer to a legacy OP_QUERY (only the first handshake of old drivers).</summary>
    Reply = 1,

    /// <summary>OP_QUERY: legacy; still sent by some drivers for the first <c>isMaster</c>/<c>hello</c> on <c>admin.$cmd</c>.</summary>
    Query = 2004,

    /// <summary>OP_COMPRESSED: only after compression has been negotiated, which dbtls never does.</summary>
    Compressed = 2012,

    /// <summary>OP_MSG: every command since MongoDB 3.6.</summary>
    Msg = 2013,
}

namespace DbTls.Fuzz.Targets;

/// <summary>BSON type bytes, OP codes and field names the Mongo mutators splice in.</summary>
internal static class MongoTokens
{
    public static IReadOnlyList<byte[]> Dictionary { get; } =
    [
        .. TargetHelpers.Ascii("ok\0", "helloOk\0", "isWritablePrimary\0", "maxWireVersion\0", "saslSupportedMechs\0", "speculativeAuthenticate\0",
            "payload\0", "conversationId\0", "done\0", "errmsg\0", "code\0", "maxMessageSizeBytes\0", "maxBsonObjectSize\0", "SCRAM-SHA-256", "$err\0"),
        [0x01], [0x02], [0x03], [0x04], [0x05], [0x08], [0x10], [0x12], [0x7F], [0xFF], [0x05, 0x00, 0x00, 0x00, 0x00],
        [0xDD, 0x07, 0x00, 0x00], [0x01, 0x00, 0x00, 0x00], [0xDC, 0x07, 0x00, 0x00], [0x02, 0x00, 0x00, 0x00],
    ];
}

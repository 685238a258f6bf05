namespace DbTls.Wire.Mongo;

/// <summary>Sizes the MongoDB wire protocol allows; a peer announcing more is refused before anything is allocated.</summary>
internal static class MongoWireLimits
{
    /// <summary>The server's default maxMessageSizeBytes (48 MB), used until a hello reply says otherwise.</summary>
    public const int DefaultMaxMessageSizeBytes = 48_000_000;

    /// <summary>maxBsonObjectSize (16 MiB). Replies may exceed it by a little for command overhead, so readers allow 16 KiB more.</summary>
    public const int MaxBsonObjectSize = 16 * 1024 * 1024;

    internal const int BsonObjectSizeSlack = 16 * 1024;

    /// <summary>The smallest BSON document: int32 length plus the terminating zero.</summary>
    public const int MinBsonDocumentSize = 5;
}

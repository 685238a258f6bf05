using System.Collections.Immutable;
using MongoDB.Bson;

namespace DbTls.Wire.Mongo;

/// <summary>What the handshake reply says about the server, read defensively (missing or mistyped fields become defaults).</summary>
internal sealed record MongoHelloReply
{
    public bool IsWritablePrimary { get; init; }

    public bool HelloOk { get; init; }

    public int MinWireVersion { get; init; }

    public int MaxWireVersion { get; init; }

    public int MaxBsonObjectSize { get; init; } = MongoWireLimits.MaxBsonObjectSize;

    public int MaxMessageSizeBytes { get; init; } = MongoWireLimits.DefaultMaxMessageSizeBytes;

    public string? SetName { get; init; }

    public string? Msg { get; init; }

    public long? ConnectionId { get; init; }

    /// <summary>Null when the server did not answer <c>saslSupportedMechs</c> (no such user, or not asked).</summary>
    public ImmutableArray<string>? SaslSupportedMechs { get; init; }

    public BsonDocument? SpeculativeAuthenticate { get; init; }

    public required BsonDocument Raw { get; init; }

    public static MongoHelloReply Parse(BsonDocument reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return new MongoHelloReply
        {
            IsWritablePrimary = Bool(reply, "isWritablePrimary") ?? Bool(reply, "ismaster") ?? false,
            HelloOk = Bool(reply, "helloOk") ?? false,
            MinWireVersion = Int(reply, "minWireVersion") ?? 0,
            MaxWireVersion = Int(reply, "maxWireVersion") ?? 0,
            MaxBsonObjectSize = Int(reply, "maxBsonObjectSize") ?? MongoWireLimits.MaxBsonObjectSize,
            MaxMessageSizeBytes = Int(reply, "maxMessageSizeBytes") ?? MongoWireLimits.DefaultMaxMessageSizeBytes,
            SetName = reply.TryGetValue("setName", out var s) && s.IsString ? s.AsString : null,
            Msg = reply.TryGetValue("msg", out var m) && m.IsString ? m.AsString : null,
            ConnectionId = reply.TryGetValue("connectionId", out var c) && c.IsNumeric ? c.ToInt64() : null,
            SaslSupportedMechs = reply.TryGetValue("saslSupportedMechs", out var mechs) && mechs.IsBsonArray
                ? [.. mechs.AsBsonArray.Where(v => v.IsString).Select(v => v.AsString)]
                : null,
            SpeculativeAuthenticate = reply.TryGetValue("speculativeAuthenticate", out var sa) && sa.IsBsonDocument ? sa.AsBsonDocument : null,
            Raw = reply,
        };
    }

    private static bool? Bool(BsonDocument d, string name) =>
        d.TryGetValue(name, out var v) ? v.IsBoolean ? v.AsBoolean : v.IsNumeric ? v.ToDouble() != 0 : null : null;

    private static int? Int(BsonDocument d, string name) =>
        d.TryGetValue(name, out var v) && v.IsNumeric ? (int)Math.Clamp(v.ToInt64(), int.MinValue, int.MaxValue) : null;
}

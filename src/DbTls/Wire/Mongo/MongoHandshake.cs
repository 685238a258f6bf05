using MongoDB.Bson;

namespace DbTls.Wire.Mongo;

/// <summary>Which command name opens the connection.</summary>
internal enum MongoHelloCommand
{
    /// <summary><c>isMaster</c> with <c>helloOk: true</c>: what drivers send first unless a Stable API version or load balancing is configured.</summary>
    LegacyHello,

    /// <summary><c>hello</c>: with a Stable API version or load balancing, and for every later check.</summary>
    Hello,
}

/// <summary>Builds the first command of a connection (handshake spec), including mechanism negotiation and speculative authentication.</summary>
internal static class MongoHandshake
{
    public static BsonDocument BuildHello(MongoHelloCommand command, BsonDocument clientMetadata, MongoCredential? credential, BsonDocument? speculativeAuthenticate)
    {
        ArgumentNullException.ThrowIfNull(clientMetadata);
        var hello = command == MongoHelloCommand.Hello
            ? new BsonDocument("hello", 1)
            : new BsonDocument { { "isMaster", 1 }, { "helloOk", true } };
        hello.Add("client", clientMetadata);
        hello.Add("compression", new BsonArray());
        if (credential is not null && credential.Mechanism is null)
        {
            // The raw user name, not SASLprep'd: the server looks for conflicting legacy credentials with it.
            hello.Add("saslSupportedMechs", $"{credential.Source}.{credential.User}");
        }

        if (speculativeAuthenticate is not null)
        {
            hello.Add("speculativeAuthenticate", speculativeAuthenticate);
        }

        return hello;
    }

    /// <summary>A <c>saslStart</c> command; with <paramref name="database"/> it is the form embedded in <c>speculativeAuthenticate</c>.</summary>
    public static BsonDocument BuildSaslStart(ScramMechanism mechanism, byte[] payload, string? database = null)
    {
        var command = new BsonDocument
        {
            { "saslStart", 1 },
            { "mechanism", mechanism.ToMechanismName() },
            { "payload", new BsonBinaryData(payload) },
            { "options", new BsonDocument("skipEmptyExchange", true) },
        };
        if (database is not null)
        {
            command.Add("db", database);
        }

        return command;
    }

    public static BsonDocument BuildSaslContinue(BsonValue conversationId, byte[] payload) => new()
    {
        { "saslContinue", 1 },
        { "conversationId", conversationId },
        { "payload", new BsonBinaryData(payload) },
    };
}

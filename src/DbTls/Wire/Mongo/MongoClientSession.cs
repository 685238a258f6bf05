using DbTls.Diagnostics;
using MongoDB.Bson;

namespace DbTls.Wire.Mongo;

/// <summary>What the opening of a connection found.</summary>
internal sealed record MongoSessionInfo(MongoHelloReply Hello, MongoAuthResult? Auth);

/// <summary>The handshake's answer and the speculative SCRAM conversation it may have started.</summary>
internal sealed record MongoHelloResult(MongoHelloReply Reply, ScramConversation? Speculative);

/// <summary>
/// Opens a MongoDB connection on a stream that is already connected (and, when the policy wants TLS,
/// already encrypted — MongoDB has no in-protocol TLS upgrade, so TLS must be up before the first byte
/// and thus before any credential): handshake with client metadata, mechanism negotiation and speculative
/// authentication, then the SCRAM conversation.
/// </summary>
internal static class MongoClientSession
{
    public static async Task<MongoSessionInfo> OpenAsync(MongoWireConnection connection, string? applicationName, MongoCredential? credential,
        MongoHelloCommand helloCommand, CancellationToken cancellationToken)
    {
        var hello = await HelloAsync(connection, applicationName, credential, helloCommand, cancellationToken).ConfigureAwait(false);
        if (credential is null)
        {
            return new MongoSessionInfo(hello.Reply, null);
        }

        var auth = await MongoAuthenticator.AuthenticateAsync(connection, credential, hello.Reply, hello.Speculative, cancellationToken).ConfigureAwait(false);
        return new MongoSessionInfo(hello.Reply, auth);
    }

    /// <summary>
    /// The first step alone (a check reports the server's hello before it logs in): the handshake, with
    /// mechanism negotiation and the speculative SCRAM start when a credential is given.
    /// </summary>
    public static async Task<MongoHelloResult> HelloAsync(MongoWireConnection connection, string? applicationName, MongoCredential? credential,
        MongoHelloCommand helloCommand, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ScramConversation? speculative = null;
        BsonDocument? speculativeCommand = null;
        if (credential is not null)
        {
            (speculative, speculativeCommand) = MongoAuthenticator.StartSpeculative(credential);
        }

        var hello = MongoHandshake.BuildHello(helloCommand, MongoClientMetadata.Create(applicationName), credential, speculativeCommand);
        var helloReply = MongoHelloReply.Parse(await connection.RunCommandAsync("admin", hello, cancellationToken).ConfigureAwait(false));
        if (helloReply.MaxMessageSizeBytes is < MongoMessageHeader.Size or > 2 * MongoWireLimits.DefaultMaxMessageSizeBytes)
        {
            throw new DbTlsException(FindingCodes.ServerProtocolViolation, $"the server announced maxMessageSizeBytes={helloReply.MaxMessageSizeBytes}");
        }

        connection.MaxMessageSize = helloReply.MaxMessageSizeBytes;
        return new MongoHelloResult(helloReply, speculative);
    }
}

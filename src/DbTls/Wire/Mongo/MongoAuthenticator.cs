using DbTls.Diagnostics;
using MongoDB.Bson;

namespace DbTls.Wire.Mongo;

/// <summary>How a login went.</summary>
internal sealed record MongoAuthResult(ScramMechanism Mechanism, bool Speculative, int RoundTrips, int Iterations, bool ServerVerified, bool PasswordNormalizationSkipped);

/// <summary>
/// SCRAM-SHA-1 / SCRAM-SHA-256 over saslStart/saslContinue (auth spec), continuing a speculative
/// exchange from the hello reply when the server took it. The login only counts when the server has
/// proved knowledge of the password: a server that says "done" without a valid signature is refused.
/// </summary>
internal static class MongoAuthenticator
{
    private const int MaxRoundTrips = 10;

    /// <summary>The mechanism the auth spec picks: the configured one, else SCRAM-SHA-256 when listed, else SCRAM-SHA-1.</summary>
    public static ScramMechanism ChooseMechanism(MongoCredential credential, MongoHelloReply hello)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(hello);
        if (credential.Mechanism is { } configured)
        {
            return configured;
        }

        return hello.SaslSupportedMechs is { } mechs && mechs.Contains(ScramMechanismNames.Sha256) ? ScramMechanism.Sha256 : ScramMechanism.Sha1;
    }

    /// <summary>Starts the conversation that goes into the hello command's speculativeAuthenticate field.</summary>
    public static (ScramConversation Conversation, BsonDocument Command) StartSpeculative(MongoCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);

        // Without a configured mechanism, drivers speculate with SCRAM-SHA-256 (handshake spec).
        var conversation = new ScramConversation(credential.Mechanism ?? ScramMechanism.Sha256, credential.User, credential.Password);
        return (conversation, MongoHandshake.BuildSaslStart(conversation.Mechanism, conversation.CreateClientFirst(), credential.Source));
    }

    public static async Task<MongoAuthResult> AuthenticateAsync(MongoWireConnection connection, MongoCredential credential, MongoHelloReply hello,
        ScramConversation? speculative, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(hello);
        var mechanism = ChooseMechanism(credential, hello);
        var roundTrips = 0;
        ScramConversation conversation;
        BsonDocument reply;
        var usedSpeculative = false;
        if (speculative is not null && speculative.Mechanism == mechanism && hello.SpeculativeAuthenticate is { } speculativeReply)
        {
            conversation = speculative;
            reply = speculativeReply;
            usedSpeculative = true;
        }
        else
        {
            conversation = new ScramConversation(mechanism, credential.User, credential.Password);
            reply = await SaslAsync(connection, credential.Source, MongoHandshake.BuildSaslStart(mechanism, conversation.CreateClientFirst()), cancellationToken).ConfigureAwait(false);
            roundTrips++;
        }

        var conversationId = reply.GetValue("conversationId", BsonNull.Value);
        if (Done(reply))
        {
            throw new DbTlsException(FindingCodes.AuthServerSignatureInvalid, "the server declared SCRAM authentication complete before the client sent its proof");
        }

        var clientFinal = conversation.CreateClientFinal(Payload(reply));
        reply = await SaslAsync(connection, credential.Source, MongoHandshake.BuildSaslContinue(conversationId, clientFinal), cancellationToken).ConfigureAwait(false);
        roundTrips++;
        var serverFinal = Payload(reply);
        if (serverFinal.Length == 0)
        {
            throw new DbTlsException(FindingCodes.AuthServerSignatureInvalid,
                Done(reply)
                    ? "the server declared the login complete without proving it knows the password (no SCRAM server signature)"
                    : "the server sent no SCRAM server signature");
        }

        conversation.VerifyServerFinal(serverFinal);

        // Servers that ignore skipEmptyExchange want one more, empty, round trip.
        while (!Done(reply))
        {
            if (roundTrips >= MaxRoundTrips)
            {
                throw new DbTlsException(FindingCodes.ServerProtocolViolation, $"the SASL conversation did not finish after {MaxRoundTrips} round trips");
            }

            reply = await SaslAsync(connection, credential.Source, MongoHandshake.BuildSaslContinue(conversationId, []), cancellationToken).ConfigureAwait(false);
            roundTrips++;
        }

        return new MongoAuthResult(mechanism, usedSpeculative, roundTrips, conversation.Iterations, conversation.ServerVerified, conversation.PasswordNormalizationSkipped);
    }

    private static async Task<BsonDocument> SaslAsync(MongoWireConnection connection, string database, BsonDocument command, CancellationToken cancellationToken)
    {
        var reply = await connection.RunCommandRawAsync(database, command, cancellationToken).ConfigureAwait(false);
        if (!MongoWireConnection.IsOk(reply))
        {
            var code = reply.TryGetValue("code", out var c) && c.IsNumeric ? c.ToInt32() : 0;
            var codeName = reply.TryGetValue("codeName", out var cn) && cn.IsString ? cn.AsString : null;
            var message = reply.TryGetValue("errmsg", out var m) && m.IsString ? m.AsString : "no error message";
            throw new DbTlsException(code == MongoCommandException.AuthenticationFailedCode || code == 0 ? FindingCodes.AuthFailed : FindingCodes.ServerError,
                $"{command.GetElement(0).Name} failed: {message} ({codeName ?? "error"}, code {code})",
                code == MongoCommandException.AuthenticationFailedCode
                    ? "Check the user name, password, authSource and authMechanism; the server does not say which one is wrong."
                    : null);
        }

        return reply;
    }

    private static bool Done(BsonDocument reply) => reply.TryGetValue("done", out var d) && d.IsBoolean && d.AsBoolean;

    private static byte[] Payload(BsonDocument reply)
    {
        if (!reply.TryGetValue("payload", out var payload))
        {
            throw new DbTlsException(FindingCodes.ServerProtocolViolation, "the SASL reply has no payload");
        }

        if (payload.IsBsonBinaryData)
        {
            return payload.AsBsonBinaryData.Bytes;
        }

        if (payload.IsString)
        {
            try
            {
                return Convert.FromBase64String(payload.AsString);
            }
            catch (FormatException ex)
            {
                throw new DbTlsException(FindingCodes.ServerProtocolViolation, "the SASL payload string is not base64", inner: ex);
            }
        }

        throw new DbTlsException(FindingCodes.ServerProtocolViolation, $"the SASL payload is a {payload.BsonType}, not binary data");
    }
}

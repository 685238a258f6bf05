using System.Buffers.Binary;
using System.Text;
using DbTls.Wire.Mongo;
using MongoDB.Bson;

namespace DbTls.Tests.Servers.Mongo;

/// <summary>One client connection of <see cref="MongoTestServer"/>: reads messages, answers commands, keeps the auth state.</summary>
internal sealed class MongoTestConnection(MongoTestServer server, Stream stream, MongoTestConnectionRecord record)
{
    private const int CommandNotFound = 59;
    private const int AuthenticationFailed = 18;
    private const int MechanismUnavailable = 334;
    private const int ProtocolError = 17;

    private readonly MongoHostileMode _hostile = server.Options.Hostile;
    private readonly Dictionary<int, (ScramServerConversation Scram, string User, string Db, bool Skip, bool Finished)> _conversations = [];
    private readonly List<(string User, string Db)> _authenticated = [];
    private int _nextRequestId = 1000;
    private int _nextConversationId = 1;
    private bool _firstMessage = true;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var message = await MongoMessageReader.ReadMessageAsync(stream, MongoWireLimits.DefaultMaxMessageSizeBytes, cancellationToken);
            if (message is null)
            {
                return;
            }

            var header = MongoMessageHeader.Read(message);
            var first = _firstMessage;
            _firstMessage = false;
            if (first && await MisbehaveAsync(header, cancellationToken))
            {
                return;
            }

            switch (header.OpCode)
            {
                case MongoOpCode.Query:
                    await HandleQueryAsync(header, OpQuery.Decode(message), cancellationToken);
                    break;
                case MongoOpCode.Msg:
                    var request = OpMsg.Decode(message);
                    record.AddCommand("OP_MSG " + request.CommandName);
                    var reply = Dispatch(request.Body);
                    if (!request.Flags.HasFlag(OpMsgFlags.MoreToCome))
                    {
                        await SendAsync(new OpMsg(reply).Encode(_nextRequestId++, header.RequestId), cancellationToken);
                    }

                    break;
                default:
                    record.AddUnknown($"opCode {(int)header.OpCode}");
                    return;
            }
        }
    }

    /// <summary>Hostile modes that act on the first message; true when the connection must end.</summary>
    private async Task<bool> MisbehaveAsync(MongoMessageHeader header, CancellationToken cancellationToken)
    {
        switch (_hostile)
        {
            case MongoHostileMode.Silent:
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return true;
            case MongoHostileMode.CloseMidHandshake:
                return true;
            case MongoHostileMode.TruncatedReply:
                var full = new OpMsg(HelloReply(new BsonDocument("hello", 1))).Encode(_nextRequestId++, header.RequestId);
                await SendAsync(full[..(full.Length / 2)], cancellationToken);
                return true;
            case MongoHostileMode.OversizedReply:
                var bigHeader = new byte[MongoMessageHeader.Size];
                new MongoMessageHeader(200_000_000, _nextRequestId++, header.RequestId, MongoOpCode.Msg).Write(bigHeader);
                await SendAsync(bigHeader, cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
                return true;
            case MongoHostileMode.LyingBsonLength:
                var lying = new OpMsg(HelloReply(new BsonDocument("hello", 1))).Encode(_nextRequestId++, header.RequestId);
                BinaryPrimitives.WriteInt32LittleEndian(lying.AsSpan(MongoMessageHeader.Size + 5), lying.Length * 4);
                await SendAsync(lying, cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
                return true;
            case MongoHostileMode.Garbage:
                await SendAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), cancellationToken);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The commands mongod still accepts over OP_QUERY (checkAllowedOpQueryCommand); everything else is refused.</summary>
    private static readonly string[] AllowedOpQueryCommands = ["_isSelf", "authenticate", "buildinfo", "buildInfo", "hello", "isMaster", "ismaster", "saslContinue", "saslStart"];

    private async Task HandleQueryAsync(MongoMessageHeader header, OpQuery query, CancellationToken cancellationToken)
    {
        // A wrapped query ({$query: {...}, $readPreference: ...}) carries the command inside.
        var command = query.Query.TryGetValue("$query", out var inner) && inner.IsBsonDocument ? inner.AsBsonDocument : query.Query;
        var name = command.ElementCount > 0 ? command.GetElement(0).Name : string.Empty;
        record.AddCommand($"OP_QUERY {name}");

        BsonDocument reply;
        if (!query.FullCollectionName.EndsWith(".$cmd", StringComparison.Ordinal))
        {
            record.AddUnknown("OP_QUERY on " + query.FullCollectionName);
            reply = Error("Unsupported OP_QUERY command: find", 352, "UnsupportedOpQueryCommand");
        }
        else if (!AllowedOpQueryCommands.Contains(name, StringComparer.Ordinal))
        {
            record.AddUnknown("OP_QUERY " + name);
            reply = Error($"Unsupported OP_QUERY command: {name}. The client driver may require an upgrade.", 352, "UnsupportedOpQueryCommand");
        }
        else
        {
            var db = query.FullCollectionName[..^".$cmd".Length];
            reply = Dispatch(new BsonDocument(command) { { "$db", db } });
        }

        await SendAsync(new OpReply(8, 0, 0, [reply]).Encode(_nextRequestId++, header.RequestId), cancellationToken);
    }

    private BsonDocument Dispatch(BsonDocument command)
    {
        var name = command.ElementCount > 0 ? command.GetElement(0).Name : string.Empty;
        var db = command.TryGetValue("$db", out var d) && d.IsString ? d.AsString : null;
        if (db is null)
        {
            return Error("OP_MSG requests require a $db argument", 40571, "Location40571");
        }

        switch (name)
        {
            case "hello" or "isMaster" or "ismaster":
                record.HelloCommands.Add(command);
                return HelloReply(command);
            case "ping":
                return Ok();
            case "buildInfo" or "buildinfo":
                return new BsonDocument
                {
                    { "version", "7.0.0" },
                    { "versionArray", new BsonArray { 7, 0, 0, 0 } },
                    { "maxBsonObjectSize", MongoWireLimits.MaxBsonObjectSize },
                    { "ok", 1.0 },
                };
            case "connectionStatus":
                return new BsonDocument
                {
                    {
                        "authInfo", new BsonDocument
                        {
                            { "authenticatedUsers", new BsonArray(_authenticated.Select(u => new BsonDocument { { "user", u.User }, { "db", u.Db } })) },
                            { "authenticatedUserRoles", new BsonArray(_authenticated.Select(u => new BsonDocument { { "role", "root" }, { "db", "admin" } })) },
                        }
                    },
                    { "ok", 1.0 },
                };
            case "endSessions":
                return Ok();
            case "saslStart":
                return SaslStart(command, db, speculative: false) ?? AuthFailed();
            case "saslContinue":
                return SaslContinue(command);
            default:
                record.AddUnknown("OP_MSG " + name);
                return Error($"no such command: '{name}'", CommandNotFound, "CommandNotFound");
        }
    }

    private BsonDocument HelloReply(BsonDocument command)
    {
        var legacy = command.ElementCount > 0 && command.GetElement(0).Name != "hello";
        var reply = new BsonDocument
        {
            { "helloOk", true },
            { legacy ? "ismaster" : "isWritablePrimary", true },
            { "maxBsonObjectSize", MongoWireLimits.MaxBsonObjectSize },
            { "maxMessageSizeBytes", MongoWireLimits.DefaultMaxMessageSizeBytes },
            { "maxWriteBatchSize", 100_000 },
            { "localTime", new BsonDateTime(DateTime.UtcNow) },
            { "logicalSessionTimeoutMinutes", 30 },
            { "connectionId", record.Id },
            { "minWireVersion", 0 },
            { "maxWireVersion", server.Options.MaxWireVersion },
            { "readOnly", false },
        };

        if (command.TryGetValue("saslSupportedMechs", out var who) && who.IsString)
        {
            var dot = who.AsString.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && server.FindUser(who.AsString[(dot + 1)..], who.AsString[..dot]) is { } mechanisms)
            {
                reply.Add("saslSupportedMechs", new BsonArray(mechanisms.Keys.Select(m => m.ToMechanismName())));
            }
        }

        if (server.Options.SupportsSpeculativeAuthentication && command.TryGetValue("speculativeAuthenticate", out var spec) && spec.IsBsonDocument
            && spec.AsBsonDocument.TryGetValue("db", out var specDb) && specDb.IsString
            && SaslStart(spec.AsBsonDocument, specDb.AsString, speculative: true) is { } started)
        {
            started.Remove("ok");
            reply.Add("speculativeAuthenticate", started);
        }

        reply.Add("ok", 1.0);
        return reply;
    }

    private BsonDocument? SaslStart(BsonDocument command, string db, bool speculative)
    {
        var mechanism = ScramMechanismNames.Parse(command.GetValue("mechanism", BsonNull.Value) is { IsString: true } m ? m.AsString : null);
        if (mechanism is null || !command.TryGetValue("payload", out var payload) || !payload.IsBsonBinaryData)
        {
            return speculative ? null : Error("Received authentication for mechanism which is not supported", MechanismUnavailable, "MechanismUnavailable");
        }

        var clientFirst = Encoding.UTF8.GetString(payload.AsBsonBinaryData.Bytes);
        var user = ScramServerConversation.ReadUser(clientFirst);
        if (user is null)
        {
            return speculative ? null : Error("Invalid SCRAM client-first message", ProtocolError, "ProtocolError");
        }

        var credentials = server.FindUser(user, db);
        if (credentials is null)
        {
            return null; // mongod answers an unknown user with "Authentication failed."
        }

        if (!credentials.TryGetValue(mechanism.Value, out var stored))
        {
            return speculative ? null : Error($"Unable to use {mechanism.Value.ToMechanismName()} based authentication for user without any {mechanism.Value.ToMechanismName()} credentials registered", MechanismUnavailable, "MechanismUnavailable");
        }

        var scram = new ScramServerConversation(stored, _hostile);
        var serverFirst = scram.ServerFirst(clientFirst);
        if (serverFirst is null)
        {
            return null;
        }

        var skip = command.TryGetValue("options", out var options) && options.IsBsonDocument
            && options.AsBsonDocument.TryGetValue("skipEmptyExchange", out var s) && s.ToBoolean();
        var id = _nextConversationId++;
        _conversations[id] = (scram, user, db, skip, false);
        return new BsonDocument
        {
            { "conversationId", id },
            { "done", false },
            { "payload", new BsonBinaryData(serverFirst) },
            { "ok", 1.0 },
        };
    }

    private BsonDocument SaslContinue(BsonDocument command)
    {
        var id = command.TryGetValue("conversationId", out var c) && c.IsNumeric ? c.ToInt32() : -1;
        if (!_conversations.TryGetValue(id, out var state) || !command.TryGetValue("payload", out var payload) || !payload.IsBsonBinaryData)
        {
            return Error("No SASL session state found", ProtocolError, "ProtocolError");
        }

        if (state.Finished)
        {
            // The empty third round trip of servers that do not honour skipEmptyExchange.
            _conversations.Remove(id);
            return new BsonDocument { { "conversationId", id }, { "done", true }, { "payload", new BsonBinaryData([]) }, { "ok", 1.0 } };
        }

        var serverFinal = state.Scram.ServerFinal(Encoding.UTF8.GetString(payload.AsBsonBinaryData.Bytes));
        if (serverFinal is null)
        {
            _conversations.Remove(id);
            return AuthFailed();
        }

        _authenticated.Add((state.User, state.Db));
        record.AddAuthenticated($"{state.User}@{state.Db}");
        if (_hostile == MongoHostileMode.SkipServerSignature)
        {
            _conversations.Remove(id);
            return new BsonDocument { { "conversationId", id }, { "done", true }, { "payload", new BsonBinaryData([]) }, { "ok", 1.0 } };
        }

        if (state.Skip)
        {
            _conversations.Remove(id);
        }
        else
        {
            _conversations[id] = state with { Finished = true };
        }

        return new BsonDocument { { "conversationId", id }, { "done", state.Skip }, { "payload", new BsonBinaryData(serverFinal) }, { "ok", 1.0 } };
    }

    private async Task SendAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(bytes, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    private static BsonDocument Ok() => new("ok", 1.0);

    private static BsonDocument AuthFailed() => Error("Authentication failed.", AuthenticationFailed, "AuthenticationFailed");

    private static BsonDocument Error(string message, int code, string codeName) => new()
    {
        { "ok", 0.0 },
        { "errmsg", message },
        { "code", code },
        { "codeName", codeName },
    };
}

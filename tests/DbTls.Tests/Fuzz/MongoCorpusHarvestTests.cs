using System.Net;
using System.Net.Sockets;
using DbTls.Policy;
using DbTls.Tests.Checks.Mongo;
using DbTls.Tests.Servers.Mongo;
using DbTls.Wire.Mongo;
using MongoDB.Bson;

namespace DbTls.Tests.Fuzz;

/// <summary>
/// Seeds for the MongoDB fuzz targets, recorded from the MongoDB test server: the replies dbtls reads
/// during a check (hello with speculative authentication, saslContinue, the commands after login),
/// a legacy OP_QUERY isMaster answer, and one SCRAM exchange run with the fuzz target's fixed client
/// nonce. Each test also proves that dbtls' parsers accept the recorded bytes.
/// </summary>
[Trait("Category", "FuzzCorpus")]
public sealed class MongoCorpusHarvestTests
{
    /// <summary>Must equal MongoScramTarget.ClientNonce in fuzz/DbTls.Fuzz, which replays this recording.</summary>
    private const string FuzzClientNonce = "dbtlsFuzzMongoNonce00001";

    private static MongoTestServer StartServer() => MongoTestServer.Start(new MongoTestServerOptions { Users = [MongoCheckHarness.Alice] });

    [Fact]
    public async Task Check_recording_is_a_series_of_op_msg_replies()
    {
        await using var server = StartServer();
        await using var proxy = new RecordingProxy(server.Port);
        _ = await MongoCheckHarness.CheckAsync(MongoCheckHarness.UriFor(proxy.Port, "tls=false&directConnection=true"));
        var recordings = (await proxy.ServerBytesAsync()).Where(r => r.Length > 0).ToList();
        Assert.NotEmpty(recordings);

        for (var c = 0; c < recordings.Count; c++)
        {
            var replies = FuzzCorpus.Split(recordings[c], FuzzCorpus.MongoLength);
            var decoded = replies.Select(r => OpMsg.Decode(r)).ToList();
            Assert.NotNull(MongoHelloReply.Parse(decoded[0].Body));
            FuzzCorpus.Write("mongo-wire", $"mongo-check-connection-{c}", recordings[c]);
            if (replies.Count > 1)
            {
                // What follows hello: the login replies (saslContinue after speculative authentication).
                FuzzCorpus.Write("mongo-auth", $"mongo-check-connection-{c}", [.. replies.Skip(1).SelectMany(r => r)]);
            }

            for (var i = 0; i < replies.Count; i++)
            {
                FuzzCorpus.Write("mongo-opmsg", $"mongo-check-{c}-reply-{i}", replies[i]);
                FuzzCorpus.Write("mongo-bson", $"mongo-check-{c}-reply-{i}-body", decoded[i].Body.ToBson());
            }
        }
    }

    [Fact]
    public async Task Legacy_is_master_answer_is_an_op_reply()
    {
        await using var server = StartServer();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(new OpQuery(0, "admin.$cmd", 0, -1, new BsonDocument("isMaster", 1)).Encode(7));
        var reply = await MongoMessageReader.ReadMessageAsync(stream, 48_000_000, CancellationToken.None);

        Assert.NotNull(reply);
        var decoded = OpReply.Decode(reply);
        Assert.True(MongoWireConnection.IsOk(Assert.Single(decoded.Documents)));
        FuzzCorpus.Write("mongo-opreply", "mongo-is-master", reply);
    }

    [Fact]
    public async Task Scram_exchange_with_the_fuzz_nonce_is_verified_against_the_test_server()
    {
        await using var server = StartServer();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port);
        await using var connection = new MongoWireConnection(tcp.GetStream(), ownsStream: false);
        var conversation = new ScramConversation(ScramMechanism.Sha256, MongoCheckHarness.Alice.Name, new Secret(MongoCheckHarness.Password), FuzzClientNonce);

        var first = await connection.RunCommandAsync("admin", MongoHandshake.BuildSaslStart(ScramMechanism.Sha256, conversation.CreateClientFirst()), CancellationToken.None);
        var serverFirst = first["payload"].AsByteArray;
        var final = await connection.RunCommandAsync("admin", MongoHandshake.BuildSaslContinue(first["conversationId"], conversation.CreateClientFinal(serverFirst)), CancellationToken.None);
        var serverFinal = final["payload"].AsByteArray;
        conversation.VerifyServerFinal(serverFinal);

        FuzzCorpus.Write("mongo-scram", "mongo-scram-sha-256", FuzzCorpus.Joined(serverFirst, serverFinal));
    }
}

using System.Buffers.Binary;
using DbTls.Diagnostics;
using DbTls.Wire.Mongo;
using MongoDB.Bson;

namespace DbTls.Scan;

/// <summary>
/// What a MongoDB port does besides its TLS: whether a ClientHello as the first bytes is answered (implicit TLS)
/// and whether the same port also answers a plaintext <c>hello</c> (mongod's <c>net.tls.mode</c> allowTLS or
/// preferTLS, or no TLS at all), which lets any client in without encryption.
/// </summary>
internal static class MongoFacts
{
    /// <summary>A hello reply is small; anything near this is not one.</summary>
    private const int MaxHelloReply = 1024 * 1024;

    public static async Task<MongoScanFacts> GatherAsync(ScanSession session, CancellationToken cancellationToken)
    {
        var tls = ProtocolFacts.AcceptsAsync(session, ScanProtocol.Mongo, [], cancellationToken);
        var plaintext = session.FactAsync(PlaintextHelloAsync, cancellationToken);
        var facts = new MongoScanFacts { ImplicitTls = await tls.ConfigureAwait(false) };
        if (await plaintext.ConfigureAwait(false) is { } hello)
        {
            facts.PlaintextHelloAnswered = hello.Answered;
            facts.PlaintextMaxWireVersion = hello.MaxWireVersion;
        }

        return facts;
    }

    /// <summary>
    /// Sends <c>{hello: 1}</c> as an OP_MSG without TLS (no credential, no client metadata) and reads one reply: a
    /// well-formed OP_MSG is a MongoDB server answering in clear text; a close or bytes that are not an OP_MSG
    /// (a TLS server's alert) mean it does not.
    /// </summary>
    /// <exception cref="ScanEntryException">No connection.</exception>
    public static async Task<MongoHelloAnswer> PlaintextHelloAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        await using var connection = await ScanEntry.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
        return await HelloAsync(connection.Stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether a MongoDB server answers <c>{hello: 1}</c> inside TLS on this port (how detection tells MongoDB from other TLS).</summary>
    /// <exception cref="ScanEntryException">No connection.</exception>
    public static async Task<MongoHelloAnswer> HelloInsideTlsAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        var session = await ScanTlsSession.OpenAsync(target, ScanProtocol.Mongo, [], cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return new MongoHelloAnswer(false, null);
        }

        await using (session.ConfigureAwait(false))
        {
            return await HelloAsync(session.Stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The request id of the hello; the server's reply must carry it as responseTo.</summary>
    private const int HelloRequestId = 1;

    private static async Task<MongoHelloAnswer> HelloAsync(Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            var hello = new OpMsg(new BsonDocument { { "hello", 1 }, { "$db", "admin" } }).Encode(requestId: HelloRequestId, responseTo: 0);
            await stream.WriteAsync(hello, cancellationToken).ConfigureAwait(false);
            var reply = await MongoMessageReader.ReadMessageAsync(stream, MaxHelloReply, cancellationToken).ConfigureAwait(false);
            // A reply names our request (responseTo, bytes 8..11); a port that echoes sends our own hello back with 0 there.
            if (reply is null || reply.Length < 16 || BinaryPrimitives.ReadInt32LittleEndian(reply.AsSpan(8, 4)) != HelloRequestId)
            {
                return new MongoHelloAnswer(false, null);
            }

            var body = OpMsg.Decode(reply).Body;
            return new MongoHelloAnswer(true, body.TryGetValue("maxWireVersion", out var wire) && wire.IsInt32 ? wire.AsInt32 : null);
        }
        catch (Exception ex) when (ex is DbTlsException or IOException or FormatException or BsonSerializationException)
        {
            // A TLS-only port closes, resets or answers with an alert: no plaintext session there.
            return new MongoHelloAnswer(false, null);
        }
    }
}

/// <summary>Whether a hello got a MongoDB reply, and the wire version it announced.</summary>
internal sealed record MongoHelloAnswer(bool Answered, int? MaxWireVersion);

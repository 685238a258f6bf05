using System.Diagnostics;
using System.Globalization;
using DbTls.Diagnostics;
using MongoDB.Bson;

namespace DbTls.Wire.Mongo;

/// <summary>
/// Sends OP_MSG commands over an established stream (plain TCP or TLS) and reads their replies, one at a
/// time. Replies are matched by responseTo, sized against maxMessageSizeBytes before allocation, and
/// must be OP_MSG without moreToCome (dbtls never sets exhaustAllowed, so a server has no reason to stream).
/// </summary>
internal sealed class MongoWireConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly List<MongoWireExchange> _exchanges = [];
    private int _nextRequestId;

    public MongoWireConnection(Stream stream, bool ownsStream = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _ownsStream = ownsStream;
        _nextRequestId = Random.Shared.Next(1, 1 << 20);
    }

    /// <summary>The largest reply accepted; raised or lowered from the hello reply's maxMessageSizeBytes.</summary>
    public int MaxMessageSize { get; set; } = MongoWireLimits.DefaultMaxMessageSizeBytes;

    public IReadOnlyList<MongoWireExchange> Exchanges => _exchanges;

    /// <summary>Runs a command and returns its reply; an <c>ok: 0</c> reply throws <see cref="MongoCommandException"/>.</summary>
    public async Task<BsonDocument> RunCommandAsync(string database, BsonDocument command, CancellationToken cancellationToken)
    {
        var reply = await RunCommandRawAsync(database, command, cancellationToken).ConfigureAwait(false);
        ThrowIfError(command, reply);
        return reply;
    }

    /// <summary>Runs a command and returns its reply whatever its <c>ok</c> field says.</summary>
    public async Task<BsonDocument> RunCommandRawAsync(string database, BsonDocument command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(command);
        var body = new BsonDocument(command) { { "$db", database } };
        var message = new OpMsg(body);
        var requestId = Interlocked.Increment(ref _nextRequestId);
        var bytes = message.Encode(requestId, 0);
        var started = Stopwatch.GetTimestamp();
        byte[]? replyBytes;
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            replyBytes = await MongoMessageReader.ReadMessageAsync(_stream, MaxMessageSize, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new DbTlsException(FindingCodes.ServerClosed, $"the connection broke during {message.CommandName}: {ex.Message}", inner: ex);
        }

        if (replyBytes is null)
        {
            throw new DbTlsException(FindingCodes.ServerClosed, $"the server closed the connection instead of answering {message.CommandName}");
        }
        var header = MongoMessageHeader.Read(replyBytes);
        if (header.ResponseTo != requestId)
        {
            throw MongoWireErrors.Violation(string.Create(CultureInfo.InvariantCulture, $"the reply answers request {header.ResponseTo}, but request {requestId} was sent"));
        }

        if (header.OpCode == MongoOpCode.Compressed)
        {
            throw MongoWireErrors.Violation("the server sent OP_COMPRESSED although no compressor was negotiated");
        }

        var reply = OpMsg.Decode(replyBytes);
        if (reply.Flags.HasFlag(OpMsgFlags.MoreToCome))
        {
            throw MongoWireErrors.Violation("the server set moreToCome on a reply to a request without exhaustAllowed");
        }

        var ok = IsOk(reply.Body);
        _exchanges.Add(new MongoWireExchange(requestId, database, message.CommandName, bytes.Length, replyBytes.Length, ok, Stopwatch.GetElapsedTime(started)));
        return reply.Body;
    }

    public static bool IsOk(BsonDocument reply) =>
        reply.TryGetValue("ok", out var ok) && ok.IsNumeric && ok.ToDouble() == 1.0
        || reply.TryGetValue("ok", out ok) && ok.IsBoolean && ok.AsBoolean;

    public static void ThrowIfError(BsonDocument command, BsonDocument reply)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(reply);
        if (IsOk(reply))
        {
            return;
        }

        var name = command.ElementCount > 0 ? command.GetElement(0).Name : "command";
        var code = reply.TryGetValue("code", out var c) && c.IsNumeric ? c.ToInt32() : 0;
        var codeName = reply.TryGetValue("codeName", out var cn) && cn.IsString ? cn.AsString : null;
        var errmsg = reply.TryGetValue("errmsg", out var m) && m.IsString ? m.AsString : "no error message";
        throw new MongoCommandException(name, code, codeName, errmsg);
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsStream)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}

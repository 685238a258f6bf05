using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Infrastructure.Streams;
using DbTls.Wire.Mongo;

namespace DbTls.Tests.Servers.Mongo;

/// <summary>What one client connection did, as the server saw it.</summary>
public sealed class MongoTestConnectionRecord
{
    private readonly ConcurrentQueue<string> _commands = new();
    private readonly ConcurrentQueue<string> _unknownCommands = new();
    private readonly ConcurrentQueue<string> _authenticated = new();
    private RecordingStream? _recording;
    private ByteLog? _raw;
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Id { get; init; }

    /// <summary>The client's address and port, which tell a test's own probe connection from the client's.</summary>
    public IPEndPoint? RemoteEndPoint { get; init; }

    /// <summary>Completes when the server is done with the connection (the client closed it, or it failed).</summary>
    public Task Ended => _ended.Task;

    /// <summary>Every byte the client sent after TLS (the MongoDB messages themselves).</summary>
    public byte[] Received => _recording?.Received ?? [];

    /// <summary>Every byte the client sent on the TCP connection, before any TLS was removed: the proof of what crossed the wire in clear.</summary>
    public byte[] RawReceived => _raw?.ToArray() ?? [];

    /// <summary>"OP_MSG hello", "OP_QUERY isMaster", ... in arrival order.</summary>
    public IReadOnlyCollection<string> Commands => _commands;

    /// <summary>Commands the server did not implement (answered CommandNotFound); a faithful run has none.</summary>
    public IReadOnlyCollection<string> UnknownCommands => _unknownCommands;

    /// <summary>"user@db" for every successful login on this connection.</summary>
    public IReadOnlyCollection<string> AuthenticatedUsers => _authenticated;

    public string? TlsProtocol { get; internal set; }

    public X509Certificate2? ClientCertificate { get; internal set; }

    /// <summary>Why the TLS handshake failed, when it did.</summary>
    public string? TlsFailure { get; internal set; }

    /// <summary>Set when the connection handler ended with an error other than the client going away.</summary>
    public string? Error { get; internal set; }

    public BsonDocumentList HelloCommands { get; } = new();

    internal void Attach(RecordingStream stream) => _recording = stream;

    internal void AttachRaw(ByteLog received) => _raw = received;

    internal void AddCommand(string command) => _commands.Enqueue(command);

    internal void AddUnknown(string command) => _unknownCommands.Enqueue(command);

    internal void AddAuthenticated(string user) => _authenticated.Enqueue(user);

    internal void MarkEnded() => _ended.TrySetResult();
}

/// <summary>A thread-safe list of the hello/isMaster commands received (to check what the driver sent).</summary>
public sealed class BsonDocumentList
{
    private readonly ConcurrentQueue<MongoDB.Bson.BsonDocument> _items = new();

    public IReadOnlyCollection<MongoDB.Bson.BsonDocument> Items => _items;

    internal void Add(MongoDB.Bson.BsonDocument document) => _items.Enqueue(document);
}

/// <summary>
/// A MongoDB server for tests, on loopback: optional TLS (SslStream with a CertFactory certificate,
/// optionally requiring a client certificate, optionally limited TLS versions), OP_MSG and legacy OP_QUERY
/// handshakes, SCRAM-SHA-1/SCRAM-SHA-256 with configured users (speculative or not), ping,
/// connectionStatus, buildInfo, endSessions, and hostile modes. It records every byte each connection sent.
/// The real MongoDB.Driver connecting to it is the proof that it speaks the protocol faithfully.
/// </summary>
public sealed class MongoTestServer : IAsyncDisposable
{
    private readonly LoopbackListener _listener;
    private readonly ConcurrentQueue<MongoTestConnectionRecord> _connections = new();
    private readonly Dictionary<(string User, string Db), Dictionary<ScramMechanism, ScramStoredCredential>> _credentials = [];
    private readonly SslStreamCertificateContext? _staplingContext;

    private MongoTestServer(MongoTestServerOptions options)
    {
        Options = options;
        foreach (var user in options.Users)
        {
            _credentials[(user.Name, user.Database)] = user.Mechanisms.ToDictionary(
                m => m,
                m => ScramStoredCredential.Create(m, user.Name, user.Password, m == ScramMechanism.Sha1 ? options.Sha1Iterations : options.Sha256Iterations));
        }

        // One context for the server's lifetime, so .NET's OCSP staple (fetched and refreshed by the context) is reused.
        _staplingContext = options is { StapleOcsp: true, Certificate: { } stapled }
            ? SslStreamCertificateContext.Create(stapled, options.CertificateChain, offline: false)
            : null;
        _listener = LoopbackListener.Start(Accept);
    }

    public MongoTestServerOptions Options { get; }

    public int Port => _listener.Port;

    public IReadOnlyCollection<MongoTestConnectionRecord> Connections => _connections;

    public static MongoTestServer Start(MongoTestServerOptions options) => new(options);

    internal Dictionary<ScramMechanism, ScramStoredCredential>? FindUser(string user, string db) => _credentials.GetValueOrDefault((user, db));

    /// <summary>
    /// Waits until every connection a client opened so far has been accepted and has ended, and returns
    /// them (see <see cref="LoopbackListener.SettleAsync"/>). After this, what a record shows is all the
    /// client ever sent on it.
    /// </summary>
    public async Task<IReadOnlyList<MongoTestConnectionRecord>> SettleAsync()
    {
        await _listener.SettleAsync();
        return [.. _connections];
    }

    /// <summary>Numbers the connection in accept order, then serves it off the accept loop.</summary>
    private Task Accept(LoopbackConnection connection, CancellationToken stop)
    {
        var record = new MongoTestConnectionRecord { Id = connection.Index + 1, RemoteEndPoint = connection.RemoteEndPoint };
        _connections.Enqueue(record);
        return Task.Run(() => HandleAsync(connection, record, stop));
    }

    private async Task HandleAsync(LoopbackConnection connection, MongoTestConnectionRecord record, CancellationToken token)
    {
        using var tcp = connection.Client;
        try
        {
            if (Options.Hostile == MongoHostileMode.CloseOnAccept)
            {
                connection.Socket.LingerState = new LingerOption(true, 0);
                return;
            }

            record.AttachRaw(connection.Received);
            Stream stream = connection.Wire;
            if (Options.Certificate is { } certificate)
            {
                var tlsOptions = ServerTls.Options(certificate, Options.CertificateChain ?? [], Options.Protocols);
                tlsOptions.ServerCertificateContext = _staplingContext ?? tlsOptions.ServerCertificateContext;
                tlsOptions.ClientCertificateRequired = Options.RequireClientCertificate;
                tlsOptions.RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    if (cert is null)
                    {
                        return !Options.RequireClientCertificate;
                    }

                    var presented = new X509Certificate2(cert);
                    record.ClientCertificate = presented;
                    return Options.ClientCertificateValidator?.Invoke(presented) ?? true;
                };
                SslStream ssl;
                try
                {
                    using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                    handshakeTimeout.CancelAfter(TimeSpan.FromSeconds(20));
                    ssl = await ServerTls.AcceptAsync(stream, tlsOptions, leaveInnerStreamOpen: false, handshakeTimeout.Token);
                }
                catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException or System.ComponentModel.Win32Exception)
                {
                    record.TlsFailure = ex.Message;
                    return;
                }

                record.TlsProtocol = ssl.SslProtocol.ToString();
                stream = ssl;
            }
            else
            {
                // Like mongod without TLS: a TLS ClientHello (handshake record 0x16, version 0x03xx) is
                // recognised, logged and answered by closing the connection.
                var peek = new byte[2];
                var got = await connection.Socket.ReceiveAsync(peek, SocketFlags.Peek, token);
                if (got == 2 && peek[0] == 0x16 && peek[1] == 0x03)
                {
                    record.TlsFailure = "TLS handshake received but the server is started without TLS support";
                    var hello = new RecordingStream(stream);
                    record.Attach(hello);
                    _ = await hello.ReadAsync(new byte[5], token);
                    return;
                }
            }

            var recording = new RecordingStream(stream);
            record.Attach(recording);
            await using (recording)
            {
                await new MongoTestConnection(this, recording, record).RunAsync(token);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // The client went away or the server is stopping.
        }
        catch (Exception ex)
        {
            record.Error = ex.ToString();
        }
        finally
        {
            record.MarkEnded();
        }
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}

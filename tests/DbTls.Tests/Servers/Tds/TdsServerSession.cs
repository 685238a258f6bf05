using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using DbTls.Diagnostics;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Infrastructure.Streams;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Servers.Tds;

/// <summary>One connection of the <see cref="TdsTestServer"/>: PRELOGIN, TLS, LOGIN7, then batches.</summary>
internal sealed class TdsServerSession
{
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(60);

    private readonly TdsTestServerOptions _options;
    private readonly LoopbackConnection _connection;
    private readonly TdsConnectionRecord _record;
    private readonly DateTime _connectTime = DateTime.Now;
    private Stream _raw = Stream.Null;
    private Stream _app = Stream.Null;
    private bool _appIsTls;
    private int _packetSize = TdsPacketHeader.DefaultPacketSize;
    private uint _tdsVersion = TdsVersions.V7_4;
    private ushort _wireSpid;
    private SslStream? _ssl;
    private Stream? _legacyTls;

    public TdsServerSession(TdsTestServerOptions options, LoopbackConnection connection, TdsConnectionRecord record)
    {
        _options = options;
        _connection = connection;
        _record = record;
    }

    public async Task RunAsync(CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(SessionTimeout);
        try
        {
            await RunCoreAsync(timeout.Token);
        }
        catch (Exception e)
        {
            _record.Error ??= Describe(e);
            await DrainAsync();
        }
        finally
        {
            if (_ssl is not null)
            {
                await _ssl.DisposeAsync();
            }

            if (_legacyTls is not null)
            {
                await _legacyTls.DisposeAsync();
            }

            _connection.Client.Dispose();
            _record.Complete();
        }
    }

    private async Task RunCoreAsync(CancellationToken ct)
    {
        _connection.Client.NoDelay = true;
        _raw = _connection.Wire;
        if (_options.Misbehavior == TdsServerMisbehavior.Silent)
        {
            var sink = new byte[4096];
            while (await _raw.ReadAsync(sink, ct) > 0)
            {
            }

            return;
        }

        var first = new byte[1];
        if (await _raw.ReadAsync(first, ct) == 0)
        {
            _record.Error = "the client closed before sending anything";
            return;
        }

        var stream = new PrefixedStream(_raw, first);
        if (first[0] == 0x16)
        {
            if (_options.Strict == TdsStrictMode.Disallowed)
            {
                _record.Error = "the client started with a TLS ClientHello (TDS 8.0) but strict mode is disallowed";
                return;
            }

            await RunStrictAsync(stream, ct);
            return;
        }

        if (_options.Strict == TdsStrictMode.Required)
        {
            _record.Error = $"the client started with byte 0x{first[0]:X2}, but only TDS 8.0 strict connections are accepted";
            return;
        }

        await RunTds7Async(stream, ct);
    }

    private async Task RunTds7Async(Stream stream, CancellationToken ct)
    {
        var clearApp = new RecordingStream(stream, _record.ApplicationReceived, null);
        var clearReader = new TdsMessageReader(clearApp, PreLoginMessage.MaxLength);
        var message = await clearReader.ReadMessageAsync(ct);
        if (message is null)
        {
            _record.Error = "the client closed before PRELOGIN";
            return;
        }

        _record.AddMessage(new(message.Type, message.Payload, false, message.Packets.Count));
        if (message.Type != TdsPacketType.PreLogin)
        {
            _record.Error = $"the first message has type 0x{(byte)message.Type:X2}, not PRELOGIN";
            return;
        }

        var prelogin = PreLoginMessage.Decode(message.Payload);
        _record.ClientPreLogin = prelogin;
        if (prelogin.OptionOrder.Count == 0 || prelogin.OptionOrder[0] != (byte)PreLoginOptionToken.Version)
        {
            // MS-TDS 3.3.5.1: the server closes when VERSION is not the first option.
            _record.Error = "the client's PRELOGIN does not start with the VERSION option";
            return;
        }

        var clientEncryption = prelogin.Encryption ?? PreLoginEncryption.NotSupported;
        var answer = _options.OmitEncryptionOption
            ? (PreLoginEncryption?)null
            : _options.EncryptionAnswerOverride ?? TdsEncryptionNegotiation.ServerAnswer(clientEncryption, _options.Encryption);
        var outcome = TdsEncryptionNegotiation.Outcome(clientEncryption, answer);
        _record.EncryptionAnswer = answer;
        _record.Outcome = outcome;

        if (!await SendPreLoginResponseAsync(stream, prelogin, answer, ct))
        {
            return;
        }

        if (outcome == TdsEncryptionOutcome.Terminate && IsForcingAnswerToNotSupported(clientEncryption, answer))
        {
            // MS-TDS 2.2.6.5 says a NOT_SUP client meeting ENCRYPT_REQ is terminated, but the peers dbtls
            // imitates do otherwise: FreeTDS with encryption = off sends NOT_SUP and, on ENCRYPT_REQ, starts the
            // TLS handshake anyway (tds71_do_login fails only on NOT_SUP under require; measured with tsql 1.3.17
            // by FreeTdsDriverBehaviourTests against a probe server), and forcing servers (Azure SQL, SQL Server
            // with Force Encryption) are reported to accept that: tsql with encryption = off connects to them.
            // So, like them, wait for the client's next packet: a TLS handshake goes on with full encryption;
            // anything else (a clear LOGIN7) ends the connection before its credentials are read further.
            var handshake = await ReadTlsHandshakeStartAsync(stream, ct);
            if (handshake is null)
            {
                return;
            }

            stream = new PrefixedStream(stream, handshake);
            outcome = TdsEncryptionOutcome.Full;
            _record.Outcome = outcome;
            _record.TlsDespiteNotSupported = true;
        }
        else if (outcome == TdsEncryptionOutcome.Terminate)
        {
            _record.Error = $"encryption cannot be agreed (client {clientEncryption.ToSpecName()}, server {answer?.ToSpecName() ?? "omitted"}); closing";
            return;
        }

        clearReader.MaxMessageLength = Login7Message.MaxLength;
        if (outcome == TdsEncryptionOutcome.Unencrypted)
        {
            var login = await clearReader.ReadMessageAsync(ct);
            if (login is null)
            {
                _record.Error = "the client closed before LOGIN7";
                return;
            }

            _app = clearApp;
            _appIsTls = false;
            _record.LoginViaTls = false;
            await HandleLoginAsync(login, viaTls: false, clearApp, ct);
            return;
        }

        if (_options.Misbehavior == TdsServerMisbehavior.ErrorInsteadOfTls)
        {
            var hello = await new TdsMessageReader(stream).ReadPacketAsync(ct);
            _record.Error = $"answered the client's TLS handshake packet (type 0x{(byte)(hello?.Header.Type ?? 0):X2}) with an ERROR token (misbehavior)";
            var error = new TdsTokenWriter().Error(18456, 1, 14, "TLS is not available (test server misbehavior).", _options.ServerName).Done(TdsDoneStatus.Error).ToArray();
            await TdsMessageWriter.WriteMessageAsync(stream, TdsPacketType.TabularResult, error, ct);
            return;
        }

        var framing = new TdsTlsFramingStream(stream, TdsTlsFramingOptions.Server with { OutgoingPacketType = _options.HandshakePacketType });
        Stream tls;
        if (_options.LegacyWrappedTls is { } legacy)
        {
            tls = _legacyTls = await LegacyTlsServerPeer.AcceptAsync(framing, _options, legacy, _record, ct);
        }
        else
        {
            _ssl = await ServerTls.AcceptAsync(framing, ServerTlsOptions(_options.WrappedTlsProtocols, alpn: false), leaveInnerStreamOpen: true, ct);
            RecordTls(_ssl);
            tls = _ssl;
        }

        framing.FinishHandshake();
        _record.HandshakePacketTypes = [.. framing.ReceivedPacketTypes];

        var tlsApp = new RecordingStream(tls, _record.ApplicationReceived, null);
        var tlsReader = new TdsMessageReader(tlsApp, Login7Message.MaxLength);
        var firstPacket = await tlsReader.ReadPacketAsync(ct);
        if (firstPacket is null)
        {
            _record.Error = "the client closed after the TLS handshake, before LOGIN7";
            return;
        }

        _record.LoginViaTls = true;
        if (outcome == TdsEncryptionOutcome.LoginOnly)
        {
            // Only the first LOGIN7 packet travels through TLS; any further packets and everything after come in clear.
            var loginMessage = await clearReader.ContinueMessageAsync(firstPacket, ct);
            _app = clearApp;
            _appIsTls = false;
            await HandleLoginAsync(loginMessage, viaTls: true, clearApp, ct);
        }
        else
        {
            var loginMessage = await tlsReader.ContinueMessageAsync(firstPacket, ct);
            _app = tlsApp;
            _appIsTls = true;
            var responseStream = _options.Misbehavior == TdsServerMisbehavior.DropOutOfTls ? stream : tlsApp;
            await HandleLoginAsync(loginMessage, viaTls: true, responseStream, ct);
        }
    }

    /// <summary>
    /// ENCRYPT_REQ to an ENCRYPT_NOT_SUP client is what a forcing server answers (ServerAnswer); an ON answer to
    /// NOT_SUP comes only from an override and keeps MS-TDS's Terminate, as every other pair that cannot agree.
    /// </summary>
    private static bool IsForcingAnswerToNotSupported(PreLoginEncryption client, PreLoginEncryption? answer) =>
        client.Mode() == PreLoginEncryption.NotSupported && answer == PreLoginEncryption.Required;

    /// <summary>
    /// Reads the header and first payload byte of the client's next packet. Returns those bytes when they
    /// start a TLS handshake record inside a PRELOGIN packet (what a client that goes on with TLS sends);
    /// otherwise records why and returns null, having read no more than those nine bytes.
    /// </summary>
    private async Task<byte[]?> ReadTlsHandshakeStartAsync(Stream stream, CancellationToken ct)
    {
        var start = new byte[TdsPacketHeader.Size + 1];
        var read = await stream.ReadAtLeastAsync(start, start.Length, throwOnEndOfStream: false, ct);
        if (read < start.Length)
        {
            _record.Error = "the client sent ENCRYPT_NOT_SUP, the server requires encryption, and the client closed (as MS-TDS expects)";
            return null;
        }

        const byte TlsHandshakeRecord = 0x16;
        var type = start[0];
        if (type == (byte)TdsPacketType.PreLogin && start[TdsPacketHeader.Size] == TlsHandshakeRecord)
        {
            return start;
        }

        _record.Error = $"the client sent ENCRYPT_NOT_SUP, the server requires encryption, and the client's next packet (type 0x{type:X2}) is no TLS handshake; closing without reading it";
        return null;
    }

    private async Task RunStrictAsync(Stream stream, CancellationToken ct)
    {
        _record.Strict = true;
        _ssl = await ServerTls.AcceptAsync(stream, ServerTlsOptions(_options.StrictTlsProtocols, alpn: true), leaveInnerStreamOpen: true, ct);
        RecordTls(_ssl);
        var app = new RecordingStream(_ssl, _record.ApplicationReceived, null);
        var reader = new TdsMessageReader(app, PreLoginMessage.MaxLength);
        var message = await reader.ReadMessageAsync(ct);
        if (message is null)
        {
            _record.Error = "the client closed after the TLS handshake, before PRELOGIN";
            return;
        }

        _record.AddMessage(new(message.Type, message.Payload, true, message.Packets.Count));
        if (message.Type != TdsPacketType.PreLogin)
        {
            _record.Error = $"the first message inside TLS has type 0x{(byte)message.Type:X2}, not PRELOGIN";
            return;
        }

        var prelogin = PreLoginMessage.Decode(message.Payload);
        _record.ClientPreLogin = prelogin;

        // Inside TLS the ENCRYPTION option is moot; SqlClient sends ENCRYPT_NOT_SUP and ignores the answer.
        var answer = _options.OmitEncryptionOption ? (PreLoginEncryption?)null : _options.EncryptionAnswerOverride ?? PreLoginEncryption.NotSupported;
        _record.EncryptionAnswer = answer;
        _record.Outcome = TdsEncryptionOutcome.Full;
        if (!await SendPreLoginResponseAsync(app, prelogin, answer, ct))
        {
            return;
        }

        reader.MaxMessageLength = Login7Message.MaxLength;
        var login = await reader.ReadMessageAsync(ct);
        if (login is null)
        {
            _record.Error = "the client closed before LOGIN7";
            return;
        }

        _record.LoginViaTls = true;
        _app = app;
        _appIsTls = true;
        await HandleLoginAsync(login, viaTls: true, app, ct);
    }

    private async Task<bool> SendPreLoginResponseAsync(Stream stream, PreLoginMessage request, PreLoginEncryption? answer, CancellationToken ct)
    {
        var response = new PreLoginMessage
        {
            Version = _options.ServerVersion,
            Encryption = answer,
            Instance = [0],
            HasThreadIdOption = true,
            Mars = 0,
            FedAuthRequired = request.FedAuthRequired is null ? null : (byte)0,
        }.Encode();

        switch (_options.Misbehavior)
        {
            case TdsServerMisbehavior.TruncatedPreLogin:
                var framed = TdsMessageWriter.Frame(TdsPacketType.TabularResult, response);
                await stream.WriteAsync(framed.AsMemory(0, framed.Length / 2), ct);
                await stream.FlushAsync(ct);
                _connection.Socket.Shutdown(SocketShutdown.Send);
                _record.Error = "sent half a PRELOGIN response and closed (misbehavior)";
                return false;
            case TdsServerMisbehavior.OversizedPreLogin:
                var huge = PreLoginMessage.EncodeOptions(
                [
                    new((byte)PreLoginOptionToken.Version, [16, 0, 0, 0, 0, 0]),
                    new((byte)PreLoginOptionToken.Encryption, [(byte)(answer ?? PreLoginEncryption.Off)]),
                    new(0x42, new byte[PreLoginMessage.MaxLength * 3]),
                ]);
                await TdsMessageWriter.WriteMessageAsync(stream, TdsPacketType.TabularResult, huge, ct);
                _record.Error = "sent an oversized PRELOGIN response (misbehavior)";
                return false;
            case TdsServerMisbehavior.MalformedPreLogin:
                var malformed = (byte[])response.Clone();
                malformed[6] = 0x7F; // ENCRYPTION is the second table entry: its offset now points far beyond the payload
                await TdsMessageWriter.WriteMessageAsync(stream, TdsPacketType.TabularResult, malformed, ct);
                _record.Error = "sent a malformed PRELOGIN response (misbehavior)";
                return false;
        }

        await TdsMessageWriter.WriteMessageAsync(stream, TdsPacketType.TabularResult, response, ct);
        if (_options.Misbehavior == TdsServerMisbehavior.CloseAfterPreLogin)
        {
            _record.Error = "closed after the PRELOGIN response (misbehavior)";
            return false;
        }

        return true;
    }

    private async Task HandleLoginAsync(TdsMessage message, bool viaTls, Stream responseStream, CancellationToken ct)
    {
        _record.AddMessage(new(message.Type, message.Payload, viaTls, message.Packets.Count));
        if (message.Type != TdsPacketType.Login7)
        {
            _record.Error = $"expected LOGIN7, got a message of type 0x{(byte)message.Type:X2}";
            return;
        }

        var login = Login7Message.Decode(message.Payload);
        _record.Login = login;
        _tdsVersion = login.TdsVersion switch
        {
            TdsVersions.V8_0 when _record.Strict => TdsVersions.V8_0,
            TdsVersions.V7_1 or TdsVersions.V7_2 or TdsVersions.V7_3A or TdsVersions.V7_3B or TdsVersions.V7_4 => login.TdsVersion,
            _ => TdsVersions.V7_4,
        };
        _record.NegotiatedTdsVersion = _tdsVersion;
        var writer = new TdsTokenWriter(_tdsVersion);
        var authenticated = !login.UsesIntegratedSecurity
            && string.Equals(login.UserName, _options.User, StringComparison.Ordinal)
            && login.Password is not null
            && string.Equals(login.Password.Reveal(), _options.Password, StringComparison.Ordinal);
        if (!authenticated)
        {
            writer.Error(18456, 1, 14, $"Login failed for user '{login.UserName}'.", _options.ServerName).Done(TdsDoneStatus.Error);
            await TdsMessageWriter.WriteMessageAsync(responseStream, TdsPacketType.TabularResult, writer.ToArray(), ct);
            _record.Error = "login failed: wrong user or password";
            return;
        }

        if (_options.Misbehavior == TdsServerMisbehavior.MalformedLoginResponse)
        {
            // LOGINACK (0xAD) announcing 200 bytes of body, followed by only 6.
            byte[] malformed = [(byte)TdsTokenType.LoginAck, 200, 0, 1, 0x74, 0, 0, 4, 0];
            await TdsMessageWriter.WriteMessageAsync(responseStream, TdsPacketType.TabularResult, malformed, ct);
            _record.Error = "answered LOGIN7 with a malformed token stream (misbehavior)";
            return;
        }

        var packetSize = login.PacketSize is >= 512 and <= 32767 ? (int)login.PacketSize : TdsPacketHeader.DefaultPacketSize;
        var database = string.IsNullOrEmpty(login.Database) ? "master" : login.Database;
        var collation = new byte[TdsCollation.Size];
        TdsCollation.Default.Write(collation);
        writer
            .EnvChange(TdsEnvChangeTypes.Database, database, "master")
            .Info(5701, 2, 0, $"Changed database context to '{database}'.", _options.ServerName)
            .EnvChangeBinary(TdsEnvChangeTypes.SqlCollation, collation, [])
            .EnvChange(TdsEnvChangeTypes.Language, "us_english", "")
            .Info(5703, 1, 0, "Changed language setting to us_english.", _options.ServerName)
            .LoginAck(_tdsVersion, "Microsoft SQL Server", (byte)_options.ServerVersion.Major, (byte)_options.ServerVersion.Minor, _options.ServerVersion.Build)
            .EnvChange(TdsEnvChangeTypes.PacketSize, packetSize.ToString(System.Globalization.CultureInfo.InvariantCulture), TdsPacketHeader.DefaultPacketSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (login.HasExtension)
        {
            writer.FeatureExtAck([]);
        }

        writer.Done(TdsDoneStatus.Final);
        _wireSpid = _record.Spid;
        await TdsMessageWriter.WriteMessageAsync(responseStream, TdsPacketType.TabularResult, writer.ToArray(), ct, TdsPacketHeader.DefaultPacketSize, _wireSpid);
        _record.LoginSucceeded = true;
        _record.EncryptedAfterLogin = _appIsTls && _options.Misbehavior != TdsServerMisbehavior.DropOutOfTls;
        if (_options.Misbehavior == TdsServerMisbehavior.DropOutOfTls)
        {
            _record.Error = "answered LOGIN7 in clear after a full-encryption handshake (misbehavior)";
            return;
        }

        _packetSize = packetSize;
        await BatchLoopAsync(ct);
    }

    private async Task BatchLoopAsync(CancellationToken ct)
    {
        var reader = new TdsMessageReader(_app);
        while (true)
        {
            var message = await reader.ReadMessageAsync(ct);
            if (message is null)
            {
                return;
            }

            _record.AddMessage(new(message.Type, message.Payload, _appIsTls, message.Packets.Count));
            byte[] response;
            switch (message.Type)
            {
                case TdsPacketType.SqlBatch:
                    var batch = SqlBatchMessage.Decode(message.Payload, TdsVersions.HasAllHeaders(_tdsVersion));
                    _record.AddBatch(batch.Sql);
                    var state = new TdsSessionState(_record.Spid, _appIsTls, _tdsVersion, _packetSize, ClientAddress(), _connectTime, "master");
                    response = TdsQueryEngine.Execute(batch.Sql, state, _options, _tdsVersion);
                    break;
                case TdsPacketType.Attention:
                    response = new TdsTokenWriter(_tdsVersion).Done(TdsDoneStatus.Attention).ToArray();
                    break;
                case TdsPacketType.Rpc:
                    response = new TdsTokenWriter(_tdsVersion)
                        .Error(2812, 62, 16, "The dbtls TDS test server does not run RPC requests.", _options.ServerName)
                        .Done(TdsDoneStatus.Error)
                        .ToArray();
                    break;
                default:
                    _record.Error = $"unexpected message of type 0x{(byte)message.Type:X2} after login";
                    return;
            }

            await TdsMessageWriter.WriteMessageAsync(_app, TdsPacketType.TabularResult, response, ct, _packetSize, _wireSpid);
        }
    }

    private SslServerAuthenticationOptions ServerTlsOptions(SslProtocols protocols, bool alpn)
    {
        var certificate = _options.Certificate ?? throw new InvalidOperationException("the TDS test server needs a certificate for TLS");
        return ServerTls.Options(certificate, _options.Intermediates, protocols, alpn ? [TdsVersions.Tds8Alpn] : []);
    }

    private void RecordTls(SslStream ssl)
    {
        _record.TlsHandshakeCompleted = true;
        _record.TlsProtocol = ssl.SslProtocol.ToString();
        _record.TlsCipherSuite = ssl.NegotiatedCipherSuite.ToString();
        _record.Alpn = ssl.NegotiatedApplicationProtocol == default ? null : ssl.NegotiatedApplicationProtocol.ToString();
        _record.Sni = string.IsNullOrEmpty(ssl.TargetHostName) ? null : ssl.TargetHostName;
    }

    /// <summary>
    /// After a protocol fault, says goodbye (FIN) and keeps reading for a moment, so the record holds
    /// everything the client sent, such as a LOGIN7 it sent in clear where TLS was due.
    /// </summary>
    private async Task DrainAsync()
    {
        try
        {
            _connection.Socket.Shutdown(SocketShutdown.Send);
            using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            var buffer = new byte[4096];
            while (await _raw.ReadAsync(buffer, drain.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The client is gone or silent: nothing more to record.
        }
    }

    private string ClientAddress() => _connection.RemoteEndPoint?.Address.ToString() ?? "";

    private static string Describe(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is DbTlsException dbtls)
            {
                return $"{dbtls.Code}: {dbtls.Message}";
            }
        }

        return $"{e.GetType().Name}: {e.Message}";
    }
}

using System.Net;
using System.Net.Sockets;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tests.Servers.Tds;
using DbTls.Tls;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Wire.Tds;

/// <summary>
/// The codec driven as a client (with <see cref="TlsClient"/> for the handshake) against the TDS
/// test server: the pieces the dbtls SQL Server check will be built from, in each encryption mode,
/// and against each of the server's deliberate faults.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TdsCodecClientTests(TdsTestCertificates certs) : IClassFixture<TdsTestCertificates>
{
    private sealed record ClientRun(PreLoginMessage Answer, TdsEncryptionOutcome Outcome, TlsSession? Tls, IReadOnlyList<TdsToken> LoginResponse, IReadOnlyList<object?>? Row);

    private TlsPolicy Policy(bool strict) => new()
    {
        Encryption = strict ? EncryptionMode.TlsFirst : EncryptionMode.Required,
        Verification = VerificationLevel.ChainAndHostName,
        Trust = new TrustSource.PemFile(certs.RootPemPath),
        Alpn = strict ? [TdsVersions.Tds8Alpn] : [],
    };

    private async Task<ClientRun> RunAsync(TdsTestServer server, PreLoginEncryption request, bool strict = false, TimeSpan? timeout = null, string? password = null, int loginPacketSize = TdsPacketHeader.DefaultPacketSize, TdsEncryptionOutcome? insteadOfTerminate = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var ct = cts.Token;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port, ct);
        Stream raw = tcp.GetStream();
        TlsSession? tls = null;
        try
        {
            var target = new TlsTarget("localhost");
            if (strict)
            {
                tls = await TlsClient.AuthenticateAsync(raw, Policy(strict: true), target, ct);
            }

            var preloginStream = tls?.Stream ?? raw;
            var prelogin = new PreLoginMessage
            {
                Version = new PreLoginVersion(1, 0, 0, 0),
                Encryption = strict ? PreLoginEncryption.NotSupported : request,
                Instance = PreLoginMessage.ClientInstance(""),
                ThreadId = 1,
                Mars = 0,
            };
            await TdsMessageWriter.WriteMessageAsync(preloginStream, TdsPacketType.PreLogin, prelogin.Encode(), ct);
            var response = await new TdsMessageReader(preloginStream, PreLoginMessage.MaxLength).ReadMessageAsync(ct)
                ?? throw TdsErrors.Closed("the server closed instead of answering PRELOGIN");
            var answer = PreLoginMessage.Decode(response.Payload);
            var outcome = strict ? TdsEncryptionOutcome.Full : TdsEncryptionNegotiation.Outcome(request, answer.Encryption);
            if (outcome == TdsEncryptionOutcome.Terminate && insteadOfTerminate is { } goOn)
            {
                // A client that ignores MS-TDS's rule, as FreeTDS with encryption = off does.
                outcome = goOn;
            }

            if (outcome == TdsEncryptionOutcome.Terminate)
            {
                return new ClientRun(answer, outcome, null, [], null);
            }

            if (!strict && outcome != TdsEncryptionOutcome.Unencrypted)
            {
                var framing = new TdsTlsFramingStream(raw, TdsTlsFramingOptions.Client);
                tls = await TlsClient.AuthenticateAsync(framing, Policy(strict: false), target, ct);
                framing.FinishHandshake();
            }

            var login = new Login7Message
            {
                TdsVersion = strict ? TdsVersions.V8_0 : TdsVersions.V7_4,
                HostName = "codec-test",
                UserName = server.Options.User,
                Password = new Secret(password ?? server.Options.Password),
                AppName = "dbtls-tests",
                LibraryName = "dbtls",
            }.Encode();
            // Login-only: only the first LOGIN7 packet goes through TLS; the session continues in clear.
            var loginOnly = outcome == TdsEncryptionOutcome.LoginOnly;
            var secure = tls?.Stream ?? raw;
            await TdsMessageWriter.WriteLoginAsync(secure, loginOnly ? raw : secure, login, ct, packetSize: loginPacketSize);
            var app = loginOnly ? raw : secure;

            var reader = new TdsMessageReader(app);
            var loginResponse = await reader.ReadMessageAsync(ct) ?? throw TdsErrors.Closed("no login response");
            var tokens = TdsTokenParser.Parse(loginResponse.Payload);
            if (!tokens.OfType<LoginAckToken>().Any())
            {
                return new ClientRun(answer, outcome, tls, tokens, null);
            }

            await TdsMessageWriter.WriteMessageAsync(app, TdsPacketType.SqlBatch, SqlBatchMessage.Create(SqlClientFidelityTests.Query).Encode(), ct);
            var result = await reader.ReadMessageAsync(ct) ?? throw TdsErrors.Closed("no result");
            var row = TdsTokenParser.Parse(result.Payload).OfType<RowToken>().Single();
            return new ClientRun(answer, outcome, tls, tokens, row.Values);
        }
        finally
        {
            if (tls is not null)
            {
                await tls.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Full_encryption()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions());

        var run = await RunAsync(server, PreLoginEncryption.On);

        Assert.Equal(TdsEncryptionOutcome.Full, run.Outcome);
        Assert.Equal<object?>(["TRUE", "TSQL", "SQL"], run.Row);
        Assert.Equal("TLSv1.2", run.Tls!.Report.Protocol);
        Assert.Equal("localhost", run.Tls.Report.Sni);
        Assert.Equal(2, run.Tls.Report.Certificates.Count);
        Assert.Contains(run.Tls.Report.Validation, s => s.Step == "hostname" && s.Outcome == "passed");
        Assert.Equal(TdsVersions.V7_4, run.LoginResponse.OfType<LoginAckToken>().Single().TdsVersion);
        Assert.Contains(run.LoginResponse, t => t is EnvChangeToken { ChangeType: TdsEnvChangeTypes.PacketSize });
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.False(record.RawContainsUtf16(server.Options.User));
    }

    [Fact]
    public async Task Login_only_encryption()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions());

        var run = await RunAsync(server, PreLoginEncryption.Off);

        Assert.Equal(TdsEncryptionOutcome.LoginOnly, run.Outcome);
        Assert.Equal<object?>(["FALSE", "TSQL", "SQL"], run.Row);
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.Null(record.Error);
        Assert.True(record.LoginViaTls);
        Assert.False(record.RawContainsUtf16(server.Options.User));
        Assert.True(record.RawContainsUtf16(SqlClientFidelityTests.Query));
    }

    [Fact]
    public async Task Login_only_encryption_with_a_multi_packet_login()
    {
        // Only the first of several LOGIN7 packets goes through TLS; the rest follow in clear, as in SqlClient.
        await using var server = TdsTestServer.Start(certs.ServerOptions());

        var run = await RunAsync(server, PreLoginEncryption.Off, loginPacketSize: 128);

        Assert.Equal<object?>(["FALSE", "TSQL", "SQL"], run.Row);
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        var login = Assert.Single(record.Messages, m => m.Type == TdsPacketType.Login7);
        Assert.True(login.Packets > 1);
        Assert.True(record.LoginViaTls);
    }

    [Fact]
    public async Task No_encryption()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new() { Encryption = PreLoginEncryption.NotSupported }));

        var run = await RunAsync(server, PreLoginEncryption.Off);

        Assert.Equal(TdsEncryptionOutcome.Unencrypted, run.Outcome);
        Assert.Null(run.Tls);
        Assert.Equal<object?>(["FALSE", "TSQL", "SQL"], run.Row);
    }

    [Fact]
    public async Task Not_supported_client_that_goes_on_with_tls_against_a_forcing_server_gets_full_encryption()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new() { Encryption = PreLoginEncryption.Required }));

        var run = await RunAsync(server, PreLoginEncryption.NotSupported, insteadOfTerminate: TdsEncryptionOutcome.Full);

        Assert.Equal(PreLoginEncryption.Required, run.Answer.Encryption);
        Assert.Equal<object?>(["TRUE", "TSQL", "SQL"], run.Row);
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.Null(record.Error);
        Assert.True(record.TlsDespiteNotSupported);
        Assert.Equal(TdsEncryptionOutcome.Full, record.Outcome);
        Assert.True(Assert.Single(record.Messages, m => m.Type == TdsPacketType.Login7).ViaTls);
        Assert.False(record.RawContainsUtf16(server.Options.User));
    }

    [Fact]
    public async Task Not_supported_client_that_sends_a_clear_login_to_a_forcing_server_is_closed_unread()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new() { Encryption = PreLoginEncryption.Required }));

        await Assert.ThrowsAnyAsync<Exception>(() => RunAsync(server, PreLoginEncryption.NotSupported, insteadOfTerminate: TdsEncryptionOutcome.Unencrypted));

        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.False(record.TlsDespiteNotSupported);
        Assert.Equal(TdsEncryptionOutcome.Terminate, record.Outcome);
        Assert.Contains("type 0x10", record.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(record.Messages, m => m.Type == TdsPacketType.Login7);
        Assert.False(record.RawContainsUtf16(server.Options.User));
        Assert.True(record.RawReceived.ToArray().AsSpan().IndexOf(Login7Password.Obfuscate(server.Options.Password)) < 0);
    }

    [Fact]
    public async Task Strict_tds8()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new() { Strict = TdsStrictMode.Required }));

        var run = await RunAsync(server, PreLoginEncryption.NotSupported, strict: true);

        Assert.Equal<object?>(["TRUE", "TSQL", "SQL"], run.Row);
        Assert.Equal(TdsVersions.Tds8Alpn, run.Tls!.Report.Alpn);
        Assert.Equal("TLSv1.3", run.Tls.Report.Protocol);
        Assert.Equal(TdsVersions.V8_0, run.LoginResponse.OfType<LoginAckToken>().Single().TdsVersion);
    }

    [Fact]
    public async Task Tls_protocol_limit_on_the_server_is_honoured()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new() { Strict = TdsStrictMode.Required, StrictTlsProtocols = System.Security.Authentication.SslProtocols.Tls12 }));

        var run = await RunAsync(server, PreLoginEncryption.NotSupported, strict: true);

        Assert.Equal("TLSv1.2", run.Tls!.Report.Protocol);
    }

    [Fact]
    public async Task Tls13_wrapped_in_prelogin_packets_is_reported()
    {
        // SQL Server keeps TDS 7.x to TLS 1.2; a server that negotiates TLS 1.3 inside PRELOGIN packets
        // sends its session tickets wrapped after the client has switched to bare records.
        await using var server = TdsTestServer.Start(certs.ServerOptions(new() { WrappedTlsProtocols = System.Security.Authentication.SslProtocols.Tls13 }));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunAsync(server, PreLoginEncryption.On));

        var found = Deepest(error);
        Assert.Equal(FindingCodes.ServerPlaintextAfterTls, found.Code);
        Assert.Contains("PRELOGIN (0x12) packet after the TLS handshake", found.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_gets_an_error_token_and_no_login_ack()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions());

        var run = await RunAsync(server, PreLoginEncryption.On, password: "not-the-server's-password");

        var error = Assert.Single(run.LoginResponse.OfType<MessageToken>());
        Assert.True(error.IsError);
        Assert.Equal(18456, error.Number);
        Assert.True(Assert.IsType<DoneToken>(run.LoginResponse[^1]).HasError);
        Assert.Null(run.Row);
    }

    [Theory]
    [InlineData(TdsServerMisbehavior.TruncatedPreLogin, FindingCodes.ServerClosed, "payload bytes")]
    [InlineData(TdsServerMisbehavior.OversizedPreLogin, FindingCodes.ServerMessageTooLarge, "exceeds the maximum of 4096 bytes")]
    [InlineData(TdsServerMisbehavior.MalformedPreLogin, FindingCodes.ServerProtocolViolation, "beyond the")]
    [InlineData(TdsServerMisbehavior.DropOutOfTls, FindingCodes.ServerPlaintextAfterTls, "clear-text TDS packet of type 0x04")]
    [InlineData(TdsServerMisbehavior.ErrorInsteadOfTls, FindingCodes.ServerProtocolViolation, "not a TLS record inside the TLS handshake packets")]
    [InlineData(TdsServerMisbehavior.CloseAfterPreLogin, FindingCodes.TlsHandshakeFailed, "")]
    public async Task Server_faults_surface_as_finding_codes(TdsServerMisbehavior misbehavior, string code, string messagePart)
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new() { Misbehavior = misbehavior }));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunAsync(server, PreLoginEncryption.On));

        // The deepest DbTlsException names the cause; TlsClient wraps faults under its handshake in its own.
        var found = Deepest(error);
        Assert.True(found.Code == code, $"{found.Code}: {found.Message}\n{error}");
        Assert.Contains(messagePart, found.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silent_server_never_answers()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new() { Misbehavior = TdsServerMisbehavior.Silent }));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(server, PreLoginEncryption.On, timeout: TimeSpan.FromSeconds(2)));
    }

    private static DbTlsException Deepest(Exception error)
    {
        DbTlsException? deepest = null;
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is DbTlsException dbtls)
            {
                deepest = dbtls;
            }
        }

        return deepest ?? throw new Xunit.Sdk.XunitException($"no DbTlsException in {error}");
    }
}

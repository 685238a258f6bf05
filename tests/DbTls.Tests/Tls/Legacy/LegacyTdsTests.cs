using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using DbTls.Diagnostics;
using DbTls.Dialects.FreeTds;
using DbTls.Dialects.Jdbc;
using DbTls.Dialects.Tds;
using DbTls.Policy;
using DbTls.Tests.Servers.Tds;
using DbTls.Tls;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Tls.Legacy;

/// <summary>
/// Legacy TLS through TDS at the wire level: a TDS test server whose PRELOGIN-wrapped handshake speaks
/// only TLS 1.0 (BouncyCastle's TlsServerProtocol, like SQL Server before its TLS 1.2 updates), and the
/// dialects' own policies (freetds.conf <c>enable tls v1</c>, JDBC <c>sslProtocol=TLSv1</c>) driving
/// <see cref="TlsClient"/> over <see cref="TdsTlsFramingStream"/>, then LOGIN7 and the verification query.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LegacyTdsTests(TdsTestCertificates certs) : IClassFixture<TdsTestCertificates>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dbtls-legacy-tds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TdsTestServer Server(TlsProtocolVersion version = TlsProtocolVersion.Tls10) =>
        TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions { Encryption = PreLoginEncryption.On, LegacyWrappedTls = version }));

    private TdsConnectionSpec FreeTds(TdsTestServer server, string extra) =>
        LegacyTdsClient.FreeTdsSpec(LegacyTdsClient.WriteFreeTdsConf(_dir, server, certs.RootPemPath, extra), server);

    [Fact]
    public async Task Freetds_enable_tls_v1_logs_in_over_tls10()
    {
        await using var server = Server();
        var spec = FreeTds(server, "  enable tls v1 = yes\n");
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.TlsWeakProtocol);

        var run = await LegacyTdsClient.RunAsync(server, spec);

        var tls = run.Tls!;
        Assert.Equal("TLSv1", tls.Report.Protocol);
        Assert.StartsWith("TLS_", tls.Report.CipherSuite, StringComparison.Ordinal);
        Assert.Contains(tls.Findings, f => f.Code == FindingCodes.TlsWeakProtocol);
        Assert.Null(tls.Report.Sni); // FreeTDS never sends SNI
        Assert.All(tls.Report.Validation.Where(s => s.Step != "revocation"), s => Assert.Equal("passed", s.Outcome));
        Assert.Equal<object?>(["TRUE", "TSQL", "SQL"], run.Row);

        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.Equal("Tls", record.TlsProtocol);
        Assert.Equal(tls.Report.CipherSuite, record.TlsCipherSuite);
        Assert.True(record.LoginViaTls);
        Assert.True(record.EncryptedAfterLogin);
        Assert.False(record.RawContainsUtf16(server.Options.User));
        Assert.False(record.RawContainsUtf16(server.Options.Password));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  enable tls v1 = no\n")]
    public async Task Freetds_without_the_opt_in_refuses_and_sends_no_login(string extra)
    {
        await using var server = Server();
        var spec = FreeTds(server, extra);

        var run = await LegacyTdsClient.RunAsync(server, spec);

        Assert.Equal(FindingCodes.TlsProtocolVersion, run.Failure!.Code);
        Assert.Contains("between TLSv1.2 and TLSv1.3", run.Failure.Message, StringComparison.Ordinal);
        Assert.Contains("enable tls v1 = yes", run.Failure.ToFinding().Remedy, StringComparison.Ordinal);
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.False(record.TlsHandshakeCompleted);
        Assert.Null(record.Login);
        Assert.False(record.RawContainsUtf16(server.Options.User));
    }

    [Fact]
    public async Task Freetds_legacy_path_still_rejects_an_untrusted_certificate()
    {
        using var other = TdsTestCertificates.Create("localhost");
        await using var server = Server();
        var spec = FreeTds(server, "  enable tls v1 = yes\n");
        spec = spec with { Tls = spec.Tls with { Trust = new TrustSource.PemFile(other.RootPemPath) } };

        var run = await LegacyTdsClient.RunAsync(server, spec);

        Assert.Equal(FindingCodes.CertUntrusted, run.Failure!.Code);
        Assert.Contains(run.Failure.Report.Validation, s => s.Step == "chain" && s.Outcome == "failed");
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.Null(record.Login);
        Assert.False(record.RawContainsUtf16(server.Options.User));
    }

    [Theory]
    [InlineData(TlsProtocolVersion.Tls10, "TLSv1")]
    [InlineData(TlsProtocolVersion.Tls11, "TLSv1.1")]
    public async Task Jdbc_ssl_protocol_tlsv11_reaches_tls10_and_tls11_servers(TlsProtocolVersion serverVersion, string expected)
    {
        await using var server = Server(serverVersion);
        var spec = JdbcConnectionString.Parse($"jdbc:sqlserver://localhost:{server.Port};encrypt=true;trustServerCertificate=true;sslProtocol=TLSv1.1")
            with
        { User = server.Options.User, Password = new Secret(server.Options.Password) };

        var run = await LegacyTdsClient.RunAsync(server, spec);

        Assert.Equal(expected, run.Tls!.Report.Protocol);
        Assert.Equal<object?>(["TRUE", "TSQL", "SQL"], run.Row);
    }

    [Fact]
    public async Task Jdbc_ssl_protocol_tlsv1_refuses_a_tls11_server()
    {
        await using var server = Server(TlsProtocolVersion.Tls11);
        var spec = JdbcConnectionString.Parse($"jdbc:sqlserver://localhost:{server.Port};encrypt=true;trustServerCertificate=true;sslProtocol=TLSv1");

        var run = await LegacyTdsClient.RunAsync(server, spec);

        Assert.Equal(FindingCodes.TlsProtocolVersion, run.Failure!.Code);
        Assert.Contains("between TLSv1 and TLSv1", run.Failure.Message, StringComparison.Ordinal);
    }
}

/// <summary>The client half: PRELOGIN, the wrapped handshake with the spec's policy, LOGIN7 and the query, over the codec.</summary>
internal static class LegacyTdsClient
{
    public sealed record Run(TlsSession? Tls, TlsHandshakeException? Failure, IReadOnlyList<object?>? Row);

    /// <summary>A freetds.conf with one section, [legacy], for the server: encryption required unless told otherwise, chain and host name checked.</summary>
    public static string WriteFreeTdsConf(string directory, TdsTestServer server, string caFile, string extra, string encryption = "require")
    {
        var conf = Path.Combine(directory, $"{Guid.NewGuid():N}.conf");
        File.WriteAllText(conf, $"[legacy]\n  host = localhost\n  port = {server.Port}\n  tds version = 7.4\n  encryption = {encryption}\n  ca file = {caFile}\n{extra}");
        return conf;
    }

    public static TdsConnectionSpec FreeTdsSpec(string conf, TdsTestServer server)
    {
        var environment = new FreeTdsEnvironment(
            ImmutableDictionary<string, string>.Empty.Add("FREETDSCONF", conf),
            Path.GetDirectoryName(conf)!,
            [],
            FreeTdsTlsBackend.GnuTls);
        return FreeTdsConnection.Parse("freetds:legacy", server.Options.User, environment) with { Password = new Secret(server.Options.Password) };
    }

    public static async Task<Run> RunAsync(TdsTestServer server, TdsConnectionSpec spec)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ct = cts.Token;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port, ct);
        Stream raw = tcp.GetStream();
        var prelogin = new PreLoginMessage
        {
            Version = new PreLoginVersion(1, 0, 0, 0),
            Encryption = (PreLoginEncryption)(byte)spec.PreloginEncryption,
            Instance = PreLoginMessage.ClientInstance(""),
            ThreadId = 1,
        };
        await TdsMessageWriter.WriteMessageAsync(raw, TdsPacketType.PreLogin, prelogin.Encode(), ct);
        var answer = await new TdsMessageReader(raw, PreLoginMessage.MaxLength).ReadMessageAsync(ct) ?? throw TdsErrors.Closed("no PRELOGIN answer");
        Assert.Equal(PreLoginEncryption.On, PreLoginMessage.Decode(answer.Payload).Encryption);

        var framing = new TdsTlsFramingStream(raw, TdsTlsFramingOptions.Client);
        TlsSession tls;
        try
        {
            tls = await TlsClient.AuthenticateAsync(framing, spec.Tls, new TlsTarget(spec.Host), ct);
        }
        catch (TlsHandshakeException ex)
        {
            return new Run(null, ex, null);
        }

        await using (tls)
        {
            framing.FinishHandshake();
            var login = new Login7Message
            {
                TdsVersion = TdsVersions.V7_4,
                HostName = "legacy-test",
                UserName = spec.User ?? "",
                Password = spec.Password,
                AppName = "dbtls-tests",
                LibraryName = "dbtls",
            }.Encode();
            await TdsMessageWriter.WriteLoginAsync(tls.Stream, tls.Stream, login, ct);
            var reader = new TdsMessageReader(tls.Stream);
            var response = await reader.ReadMessageAsync(ct) ?? throw TdsErrors.Closed("no login response");
            Assert.Contains(TdsTokenParser.Parse(response.Payload), t => t is LoginAckToken);
            await TdsMessageWriter.WriteMessageAsync(tls.Stream, TdsPacketType.SqlBatch, SqlBatchMessage.Create(Wire.Tds.SqlClientFidelityTests.Query).Encode(), ct);
            var result = await reader.ReadMessageAsync(ct) ?? throw TdsErrors.Closed("no result");
            return new Run(tls, null, TdsTokenParser.Parse(result.Payload).OfType<RowToken>().Single().Values);
        }
    }
}

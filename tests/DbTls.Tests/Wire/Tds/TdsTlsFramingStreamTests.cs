using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using DbTls.Diagnostics;
using DbTls.Tests.Infrastructure.Streams;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;
using static DbTls.Tests.Wire.Tds.TdsTestBytes;

namespace DbTls.Tests.Wire.Tds;

[Trait("Category", "Integration")]
public sealed class TdsTlsFramingStreamTests(TdsTestCertificates certs) : IClassFixture<TdsTestCertificates>
{
    /// <summary>A client and a server SslStream over a loopback TCP pair, each above its own framing stream.</summary>
    private sealed class Pair : IAsyncDisposable
    {
        private readonly TcpClient _clientSocket;
        private readonly TcpClient _serverSocket;

        private Pair(TcpClient clientSocket, TcpClient serverSocket, TdsTlsFramingOptions clientOptions, TdsTlsFramingOptions serverOptions)
        {
            _clientSocket = clientSocket;
            _serverSocket = serverSocket;
            ClientRaw = clientSocket.GetStream();
            ServerRaw = new RecordingStream(serverSocket.GetStream(), ServerReceived, null);
            ClientFraming = new TdsTlsFramingStream(ClientRaw, clientOptions);
            ServerFraming = new TdsTlsFramingStream(ServerRaw, serverOptions);
            ClientTls = new SslStream(ClientFraming, leaveInnerStreamOpen: true);
            ServerTls = new SslStream(ServerFraming, leaveInnerStreamOpen: true);
        }

        public ByteLog ServerReceived { get; } = new();

        public NetworkStream ClientRaw { get; }

        public Stream ServerRaw { get; }

        public TdsTlsFramingStream ClientFraming { get; }

        public TdsTlsFramingStream ServerFraming { get; }

        public SslStream ClientTls { get; }

        public SslStream ServerTls { get; }

        public static async Task<Pair> HandshakeAsync(TdsTestCertificates certs, TdsTlsFramingOptions clientOptions, TdsTlsFramingOptions serverOptions)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            var server = await listener.AcceptTcpClientAsync();
            listener.Stop();
            var pair = new Pair(client, server, clientOptions, serverOptions);
            var serverSide = pair.ServerTls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = SslStreamCertificateContext.Create(certs.Leaf.Certificate, [certs.Intermediate.Certificate], offline: true),
                EnabledSslProtocols = SslProtocols.Tls12,
            });
            var clientSide = pair.ClientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            await Task.WhenAll(serverSide, clientSide).WaitAsync(TimeSpan.FromSeconds(30));
            pair.ServerFraming.FinishHandshake();
            pair.ClientFraming.FinishHandshake();
            return pair;
        }

        public async ValueTask DisposeAsync()
        {
            await ClientTls.DisposeAsync();
            await ServerTls.DisposeAsync();
            _clientSocket.Dispose();
            _serverSocket.Dispose();
        }
    }

    [Theory]
    [InlineData((byte)TdsPacketType.PreLogin)]
    [InlineData((byte)TdsPacketType.TabularResult)]
    public async Task Handshake_travels_in_packets_then_records_pass_through(byte serverPacketTypeByte)
    {
        // A byte because TdsPacketType is internal and a public test method cannot take it.
        var serverPacketType = (TdsPacketType)serverPacketTypeByte;
        // Tiny packets: every handshake message is split across many TDS packets.
        await using var pair = await Pair.HandshakeAsync(
            certs,
            TdsTlsFramingOptions.Client with { PacketSize = 64 },
            TdsTlsFramingOptions.Server with { OutgoingPacketType = serverPacketType, PacketSize = 100 });
        var handshakeBytes = pair.ServerReceived.Length;

        await pair.ClientTls.WriteAsync("hello"u8.ToArray());
        var buffer = new byte[5];
        await pair.ServerTls.ReadExactlyAsync(buffer);

        Assert.Equal("hello"u8.ToArray(), buffer);
        var raw = pair.ServerReceived.ToArray();
        Assert.Equal((byte)TdsPacketType.PreLogin, raw[0]);
        Assert.True(pair.ServerFraming.PacketsReceived >= 6, $"{pair.ServerFraming.PacketsReceived} packets");
        Assert.Equal([TdsPacketType.PreLogin], pair.ServerFraming.ReceivedPacketTypes);
        Assert.Equal([serverPacketType], pair.ClientFraming.ReceivedPacketTypes);

        // After the handshake the client's bytes are a bare TLS application-data record.
        Assert.Equal(Hex("17 03 03"), raw[handshakeBytes..(handshakeBytes + 3)]);
    }

    [Fact]
    public async Task Reads_stop_at_record_boundaries_so_clear_text_can_follow()
    {
        // What login-only encryption needs: one message through TLS, then clear bytes right behind it.
        await using var pair = await Pair.HandshakeAsync(certs, TdsTlsFramingOptions.Client, TdsTlsFramingOptions.Server);
        var login = TdsMessageWriter.Frame(TdsPacketType.Login7, new byte[300]);
        var clear = TdsMessageWriter.Frame(TdsPacketType.SqlBatch, "in clear"u8);

        await pair.ClientTls.WriteAsync(login);
        await pair.ClientRaw.WriteAsync(clear);
        var packet = await new TdsMessageReader(pair.ServerTls).ReadPacketAsync(CancellationToken.None);
        var next = await new TdsMessageReader(pair.ServerRaw).ReadMessageAsync(CancellationToken.None);

        Assert.Equal(TdsPacketType.Login7, packet!.Header.Type);
        Assert.Equal(300, packet.Payload.Length);
        Assert.Equal(TdsPacketType.SqlBatch, next!.Type);
        Assert.Equal("in clear"u8.ToArray(), next.Payload);
    }

    [Fact]
    public async Task Clear_text_after_the_handshake_is_reported_as_dropping_out_of_tls()
    {
        await using var pair = await Pair.HandshakeAsync(certs, TdsTlsFramingOptions.Client, TdsTlsFramingOptions.Server);

        await pair.ServerRaw.WriteAsync(TdsMessageWriter.Frame(TdsPacketType.TabularResult, new byte[] { 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => pair.ClientTls.ReadAsync(new byte[100]).AsTask());

        var dbtls = FindDbTlsException(error);
        Assert.Equal(FindingCodes.ServerPlaintextAfterTls, dbtls.Code);
        Assert.Contains("clear-text TDS packet of type 0x04", dbtls.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bare_tls_record_where_wrapped_handshake_was_expected_is_a_violation()
    {
        using var input = new MemoryStream(Hex("16 03 01 00 40 01 00 00 3C 03 03"));
        var framing = new TdsTlsFramingStream(input, TdsTlsFramingOptions.Client);

        var error = await Assert.ThrowsAsync<DbTlsException>(() => framing.ReadAsync(new byte[64]).AsTask());

        Assert.Equal(FindingCodes.ServerProtocolViolation, error.Code);
        Assert.Contains("bare TLS record", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unexpected_packet_type_during_the_handshake_is_a_violation()
    {
        using var input = new MemoryStream(TdsMessageWriter.Frame(TdsPacketType.SqlBatch, Hex("16 03 03 00 01 00")));
        var framing = new TdsTlsFramingStream(input, TdsTlsFramingOptions.Server);

        var error = await Assert.ThrowsAsync<DbTlsException>(() => framing.ReadAsync(new byte[64]).AsTask());

        Assert.Contains("type 0x01 during the TLS handshake; expected 0x12", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_instead_of_tls_inside_handshake_packets_are_a_violation()
    {
        // A server that answers the ClientHello with an ERROR token in a 0x04 packet.
        var error = new TdsTokenWriter().Error(18456, 1, 14, "no TLS here", "srv").Done(TdsDoneStatus.Error).ToArray();
        using var input = new MemoryStream(TdsMessageWriter.Frame(TdsPacketType.TabularResult, error));
        var framing = new TdsTlsFramingStream(input, TdsTlsFramingOptions.Client);

        var violation = await Assert.ThrowsAsync<DbTlsException>(() => framing.ReadAsync(new byte[64]).AsTask());

        Assert.Equal(FindingCodes.ServerProtocolViolation, violation.Code);
        Assert.Contains("not a TLS record inside the TLS handshake packets", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_tls_record_length_is_rejected()
    {
        using var input = new MemoryStream(TdsMessageWriter.Frame(TdsPacketType.PreLogin, Hex("16 03 03 FF FF 00")));
        var framing = new TdsTlsFramingStream(input, TdsTlsFramingOptions.Client);

        var violation = await Assert.ThrowsAsync<DbTlsException>(() => framing.ReadAsync(new byte[64]).AsTask());

        Assert.Contains("16030" + "3FFFF", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close_inside_a_packet_is_reported()
    {
        using var input = new MemoryStream(Hex("12 01 00 40 00 00 01 00 16 03 03 00 30 01"));
        var framing = new TdsTlsFramingStream(input, TdsTlsFramingOptions.Client);
        var buffer = new byte[64];

        var closed = await Assert.ThrowsAsync<DbTlsException>(async () =>
        {
            while (await framing.ReadAsync(buffer) > 0)
            {
            }
        });

        Assert.Equal(FindingCodes.ServerClosed, closed.Code);
    }

    internal static DbTlsException FindDbTlsException(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is DbTlsException dbtls)
            {
                return dbtls;
            }
        }

        throw new Xunit.Sdk.XunitException($"no DbTlsException in {error}");
    }
}

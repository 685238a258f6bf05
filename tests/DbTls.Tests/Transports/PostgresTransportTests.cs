using System.Net.Sockets;
using DbTls.Diagnostics;
using DbTls.Net;
using DbTls.Tests.Infrastructure;
using DbTls.Transports;

namespace DbTls.Tests.Transports;

/// <summary>
/// The SSLRequest exchange on its own, against scripted servers that answer as no PostgreSQL would: what the
/// transport reports for each answer, and that it consumes only what it must.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PostgresTransportTests
{
    /// <summary>SSLRequest: length 8, code 80877103 (1234 5679), as the protocol documentation gives it.</summary>
    private static readonly byte[] SslRequest = [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F];

    /// <summary>A server that reads the SSLRequest, sends <paramref name="reply"/> in one write, and holds the connection open.</summary>
    private static LoopbackListener Answering(byte[] reply) => Scripted.Serve(async (stream, stop) =>
    {
        await Scripted.ReadExactAsync(stream, SslRequest.Length, stop);
        await stream.WriteAsync(reply, stop);
        await Scripted.WaitForCloseAsync(stream, stop);
    });

    [Fact]
    public async Task The_request_on_the_wire_is_the_eight_byte_SSLRequest()
    {
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = Scripted.Serve(async (stream, stop) =>
        {
            received.SetResult(await Scripted.ReadExactAsync(stream, SslRequest.Length, stop));
            await stream.WriteAsync("S"u8.ToArray(), stop);
            await Scripted.WaitForCloseAsync(stream, stop);
        });
        await using var connection = await TcpConnector.ConnectAsync(server.EndPoint.Address.ToString(), server.Port, null, Scripted.Timeout());

        var answer = await PostgresTransport.RequestSslAsync(connection, Scripted.Timeout());

        Assert.Equal(SslRequest, await received.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(SslRequestAnswerKind.Accepted, answer.Kind);
        Assert.True(answer.MayStartTls);
        Assert.Null(answer.Failure);
        Assert.Equal("S", answer.Display);
    }

    [Fact]
    public async Task Clear_bytes_behind_S_are_counted_and_forbid_TLS()
    {
        // One write, so the injected bytes travel with the 'S' as an attacker's would (CVE-2021-23222).
        await using var server = Answering("SINJECTED"u8.ToArray());
        await using var connection = await TcpConnector.ConnectAsync("127.0.0.1", server.Port, null, Scripted.Timeout());

        var answer = await PostgresTransport.RequestSslAsync(connection, Scripted.Timeout());

        Assert.Equal(SslRequestAnswerKind.Accepted, answer.Kind);
        Assert.Equal(8, answer.UnencryptedBytesAfter);
        Assert.False(answer.MayStartTls);
        Assert.Equal(FindingCodes.ServerUnencryptedDataAfterSslResponse, answer.Failure?.Code);
    }

    [Fact]
    public async Task N_consumes_one_byte_and_leaves_the_rest_for_the_plaintext_session()
    {
        await using var server = Answering("NZ"u8.ToArray());
        await using var connection = await TcpConnector.ConnectAsync("127.0.0.1", server.Port, null, Scripted.Timeout());

        var answer = await PostgresTransport.RequestSslAsync(connection, Scripted.Timeout());
        var next = await Scripted.ReadExactAsync(connection.Stream, 1, Scripted.Timeout());

        Assert.Equal(SslRequestAnswerKind.Refused, answer.Kind);
        Assert.False(answer.MayStartTls);
        Assert.Null(answer.Failure);
        Assert.Equal((byte)'Z', next[0]);
    }

    [Fact]
    public async Task E_with_a_length_word_no_error_has_is_shown_without_its_text()
    {
        await using var server = Answering(new byte[] { (byte)'E', 0x7F, 0xFF, 0xFF, 0xFF, (byte)'x' });
        await using var connection = await TcpConnector.ConnectAsync("127.0.0.1", server.Port, null, Scripted.Timeout());

        var answer = await PostgresTransport.RequestSslAsync(connection, Scripted.Timeout());

        Assert.Equal(SslRequestAnswerKind.Error, answer.Kind);
        Assert.False(answer.MayStartTls);
        Assert.Equal(FindingCodes.ServerError, answer.Failure?.Code);
        Assert.Contains("its length word (2147483647) is not that of a protocol 3.0 error", answer.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task E_cut_short_by_the_server_says_how_much_arrived()
    {
        await using var server = Scripted.Serve(async (stream, stop) =>
        {
            await Scripted.ReadExactAsync(stream, SslRequest.Length, stop);
            // Announces 100 bytes (96 after the length word), sends 10, hangs up.
            await stream.WriteAsync(new byte[] { (byte)'E', 0, 0, 0, 100, (byte)'S', (byte)'F', (byte)'A', (byte)'T', (byte)'A', (byte)'L', 0, (byte)'M', (byte)'n', (byte)'o' }, stop);
        });
        await using var connection = await TcpConnector.ConnectAsync("127.0.0.1", server.Port, null, Scripted.Timeout());

        var answer = await PostgresTransport.RequestSslAsync(connection, Scripted.Timeout());

        Assert.Equal(FindingCodes.ServerError, answer.Failure?.Code);
        Assert.Contains("the message could not be read (the server closed the connection inside its error response in the middle of a message (10 of 96 bytes received))", answer.Failure!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData((byte)'H', "H")]
    [InlineData((byte)0x16, "0x16")]
    public async Task Any_other_byte_is_a_protocol_violation(byte reply, string shown)
    {
        await using var server = Answering(new[] { reply });
        await using var connection = await TcpConnector.ConnectAsync("127.0.0.1", server.Port, null, Scripted.Timeout());

        var answer = await PostgresTransport.RequestSslAsync(connection, Scripted.Timeout());

        Assert.Equal(SslRequestAnswerKind.Invalid, answer.Kind);
        Assert.Equal(FindingCodes.ServerProtocolViolation, answer.Failure?.Code);
        Assert.Equal(shown, answer.Display);
    }

    [Fact]
    public async Task A_server_that_hangs_up_instead_of_answering_is_a_closed_connection()
    {
        await using var server = Scripted.Serve(async (stream, stop) => await Scripted.ReadExactAsync(stream, SslRequest.Length, stop));
        await using var connection = await TcpConnector.ConnectAsync("127.0.0.1", server.Port, null, Scripted.Timeout());

        var failure = await Assert.ThrowsAsync<DbTlsException>(() => PostgresTransport.RequestSslAsync(connection, Scripted.Timeout()));

        Assert.Equal(FindingCodes.ServerClosed, failure.Code);
        Assert.Equal("the server closed the connection before answering the SSLRequest", failure.Message);
    }

    [Fact]
    public async Task A_refused_port_lists_the_address_tried()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var failure = await Assert.ThrowsAsync<ConnectFailedException>(() => TcpConnector.ConnectAsync("127.0.0.1", port, null, Scripted.Timeout()));

        Assert.Equal(FindingCodes.NetUnreachable, failure.Code);
        var attempt = Assert.Single(failure.Attempts);
        Assert.Equal(SocketError.ConnectionRefused, attempt.Error);
        Assert.StartsWith($"connection to 127.0.0.1:{port} failed: ", failure.Message, StringComparison.Ordinal);
    }
}

using DbTls.Diagnostics;
using DbTls.Wire.Postgres;
using static DbTls.Tests.Servers.PostgresHostile.BackendWriter;

namespace DbTls.Tests.Wire.Postgres;

public sealed class BackendMessageReaderTests
{
    /// <summary>Hands out at most one byte per read, like a network that splits every segment.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }

    [Fact]
    public async Task Reassembles_messages_split_into_single_bytes()
    {
        var reader = new BackendMessageReader(new TrickleStream([.. AuthenticationMd5Password([9, 8, 7, 6]), .. ParameterStatus("server_version", "18.1")]));

        var auth = await reader.ReadMessageAsync(ReadPhase.Authentication, CancellationToken.None);
        Assert.Equal((byte)'R', auth.Type);
        Assert.Equal([0, 0, 0, 5, 9, 8, 7, 6], auth.Body.ToArray());
        var status = await reader.ReadMessageAsync(ReadPhase.Session, CancellationToken.None);
        Assert.Equal((byte)'S', status.Type);
        Assert.Equal(0, reader.BufferedCount);
    }

    [Fact]
    public async Task Reads_a_long_data_row_in_the_session_phase()
    {
        var big = new string('x', 200_000);
        var reader = new BackendMessageReader(new MemoryStream(DataRow(big)));

        var row = await reader.ReadMessageAsync(ReadPhase.Session, CancellationToken.None);
        Assert.Equal(2 + 4 + 200_000, row.Body.Length);
    }

    [Theory]
    [InlineData('D', (1 << 20) + 1)]
    [InlineData('S', 30001)]
    [InlineData('Z', int.MaxValue)]
    public async Task Refuses_oversized_messages_after_login(char type, int length)
    {
        var reader = new BackendMessageReader(new MemoryStream(Raw(type, length, [1, 2, 3])));
        var ex = await Assert.ThrowsAsync<DbTlsException>(() => reader.ReadMessageAsync(ReadPhase.Session, CancellationToken.None).AsTask());
        Assert.Equal(FindingCodes.ServerProtocolViolation, ex.Code);
    }

    [Fact]
    public async Task Refuses_types_that_cannot_appear_before_authentication_ok()
    {
        var reader = new BackendMessageReader(new MemoryStream(ParameterStatus("a", "b")));
        var ex = await Assert.ThrowsAsync<DbTlsException>(() => reader.ReadMessageAsync(ReadPhase.Authentication, CancellationToken.None).AsTask());
        Assert.Equal(FindingCodes.ServerProtocolViolation, ex.Code);
        Assert.Contains("'S'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(6)]
    public async Task End_of_stream_before_a_whole_message_is_a_closed_connection(int bytesAvailable)
    {
        var reader = new BackendMessageReader(new MemoryStream(AuthenticationOk()[..bytesAvailable]));
        var ex = await Assert.ThrowsAsync<DbTlsException>(() => reader.ReadMessageAsync(ReadPhase.Authentication, CancellationToken.None).AsTask());
        Assert.Equal(FindingCodes.ServerClosed, ex.Code);
    }

    [Fact]
    public async Task Honours_cancellation_while_waiting()
    {
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.In);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var reader = new BackendMessageReader(pipe);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadMessageAsync(ReadPhase.Session, cts.Token).AsTask());
    }

    [Fact]
    public void Error_response_fields_are_parsed_and_sanitised()
    {
        var message = ErrorResponse("FATAL", "28P01", "password authentication failed for user \"bob\"\u001b[2J");
        var error = PostgresServerError.Parse(new BackendMessage((byte)'E', message[5..]));
        Assert.Equal("28P01", error.SqlState);
        Assert.Equal("FATAL", error.Severity);
        Assert.Equal(FindingCodes.AuthFailed, error.FindingCode);
        Assert.Equal("FATAL 28P01: password authentication failed for user \"bob\" [2J", error.Describe());
    }

    [Fact]
    public void Error_response_without_terminator_is_a_protocol_violation()
    {
        Assert.Throws<DbTlsException>(() => PostgresServerError.Parse(new BackendMessage((byte)'E', "SFATAL\0Mno end"u8.ToArray())));
    }
}

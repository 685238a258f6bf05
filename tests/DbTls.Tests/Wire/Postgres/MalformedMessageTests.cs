using System.Diagnostics;
using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Servers.PostgresHostile;
using static DbTls.Tests.Servers.PostgresHostile.BackendWriter;

namespace DbTls.Tests.Wire.Postgres;

/// <summary>The server answers the StartupMessage with messages that break the framing rules.</summary>
[Trait("Category", "Integration")]
public sealed class MalformedMessageTests
{
    private static async Task<(CheckReport Report, HostilePostgresServer Server)> AnswerStartupWithAsync(byte[] answer, bool keepOpen = true)
    {
        var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ReadStartupAsync(ct);
            await c.WriteAsync(answer);
            if (keepOpen)
            {
                await c.DrainUntilClosedAsync(ct);
            }
            else
            {
                c.Close();
            }
        });
        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("disable", server.Port, PostgresTestSpecs.Password), TimeSpan.FromSeconds(15));
        await Hostile.SettleAsync(server);
        return (report, server);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public async Task Length_word_below_four_is_a_protocol_violation(int lengthWord)
    {
        var (report, server) = await AnswerStartupWithAsync(Raw('R', lengthWord, [0, 0, 0, 0]));
        await using var _ = server;

        var failure = Hostile.AssertFailure(report, FindingCodes.ServerProtocolViolation, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains("invalid length", failure.Message, StringComparison.Ordinal);
        Hostile.AssertPasswordNeverSent(server, report);
    }

    [Theory]
    [InlineData('R', 0x7FFFFFF0)]
    [InlineData('R', 2001)]
    [InlineData('E', 30001)]
    public async Task Oversized_length_during_authentication_is_refused_without_waiting_for_the_body(char type, int lengthWord)
    {
        var watch = Stopwatch.StartNew();
        // The connection stays open: a reader that trusted the length would wait for the body until the timeout.
        var (report, server) = await AnswerStartupWithAsync(Raw(type, lengthWord, [0, 0, 0, 3, 1, 2, 3]));
        await using var _ = server;
        watch.Stop();

        var failure = Hostile.AssertFailure(report, FindingCodes.ServerProtocolViolation, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains($"claims {lengthWord} bytes", failure.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Hostile.AssertPasswordNeverSent(server, report);
    }

    [Fact]
    public async Task End_of_stream_inside_a_message_is_a_closed_connection()
    {
        var (report, server) = await AnswerStartupWithAsync([.. Raw('R', 8, []), 0, 0], keepOpen: false);
        await using var _ = server;

        var failure = Hostile.AssertFailure(report, FindingCodes.ServerClosed, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains("in the middle of a message", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_type_that_does_not_belong_in_authentication_is_a_protocol_violation()
    {
        var (report, server) = await AnswerStartupWithAsync(ReadyForQuery());
        await using var _ = server;

        var failure = Hostile.AssertFailure(report, FindingCodes.ServerProtocolViolation, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains("expected an authentication request", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authentication_message_too_short_for_its_code_is_a_protocol_violation()
    {
        var (report, server) = await AnswerStartupWithAsync(Message('R', [0, 0]));
        await using var _ = server;

        Hostile.AssertFailure(report, FindingCodes.ServerProtocolViolation, Verdicts.Rejected, ExitCodes.Rejected);
    }

    [Fact]
    public async Task Md5_request_without_a_full_salt_is_a_protocol_violation()
    {
        var (report, server) = await AnswerStartupWithAsync(Authentication(5, [1, 2]));
        await using var _ = server;

        Hostile.AssertFailure(report, FindingCodes.ServerProtocolViolation, Verdicts.Rejected, ExitCodes.Rejected);
        Hostile.AssertPasswordNeverSent(server, report);
    }

    [Fact]
    public async Task Data_row_with_a_lying_column_length_after_login_is_a_protocol_violation()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ReadStartupAsync(ct);
            await c.WriteAsync(LoginCompleted("15.0"));
            var query = await c.ReadMessageAsync(ct);
            Assert.Equal((byte)'Q', query.Type);
            await c.WriteAsync(RowDescription("ssl", "version", "cipher", "bits", "client_dn"), Message('D', Int16(5), Int32(1000), [(byte)'t']));
            await c.DrainUntilClosedAsync(ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("disable", server.Port));
        await Hostile.SettleAsync(server);

        var failure = Hostile.AssertFailure(report, FindingCodes.ServerProtocolViolation, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains("claims 1000 bytes", failure.Message, StringComparison.Ordinal);
        Assert.True(report.Login?.Succeeded);
    }
}

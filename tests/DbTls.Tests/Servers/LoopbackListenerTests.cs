using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Servers;

/// <summary>The base every test server stands on: accept order, recording, settling and a stop that never hangs.</summary>
[Trait("Category", "Integration")]
public sealed class LoopbackListenerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Connections_are_numbered_in_accept_order_and_record_what_each_client_sent()
    {
        await using var server = LoopbackListener.Start(ReadToEndAsync);
        for (byte i = 0; i < 3; i++)
        {
            using var client = await ConnectAsync(server);
            await client.GetStream().WriteAsync(new byte[] { i, i });
        }

        var connections = await server.SettleAsync(Timeout);

        Assert.Equal(new[] { 0, 1, 2 }, connections.Select(c => c.Index));
        Assert.Equal(new byte[][] { [0, 0], [1, 1], [2, 2] }, connections.Select(c => c.Received.ToArray()));
    }

    [Fact]
    public async Task Settle_waits_for_the_handlers_and_leaves_its_probe_out()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = LoopbackListener.Start(async (connection, stop) =>
        {
            await ReadToEndAsync(connection, stop);
            await release.Task.WaitAsync(stop);
        });
        using (var client = await ConnectAsync(server))
        {
            await client.GetStream().WriteAsync("hello"u8.ToArray());
        }

        // The handler cannot end before the release, so settling cannot either.
        await Assert.ThrowsAsync<TimeoutException>(() => server.SettleAsync(TimeSpan.FromMilliseconds(300)));

        release.SetResult();
        var connections = await server.SettleAsync(Timeout);

        var only = Assert.Single(connections);
        Assert.Equal("hello"u8.ToArray(), only.Received.ToArray());
        Assert.True(only.Handler.IsCompletedSuccessfully);
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task Waiting_for_connections_that_never_come_times_out()
    {
        await using var server = LoopbackListener.Start(ReadToEndAsync);

        await Assert.ThrowsAsync<TimeoutException>(() => server.WaitForConnectionsAsync(1, TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Dispose_resets_a_connection_whose_handler_ignores_the_stop()
    {
        var server = LoopbackListener.Start(async (connection, ignored) =>
        {
            // Ignores cancellation on purpose: only the reset can end this read.
            _ = await connection.Wire.ReadAsync(new byte[16], CancellationToken.None);
        });
        using var client = await ConnectAsync(server);
        var handler = await AcceptedHandlerAsync(server);

        var clock = Stopwatch.StartNew();
        await server.DisposeAsync(TimeSpan.FromMilliseconds(100));

        Assert.True(handler.IsCompleted);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"dispose took {clock.Elapsed}");
        Assert.Equal(0, await ReadOrResetAsync(client));
    }

    [Fact]
    public async Task A_handler_failure_stays_in_its_task()
    {
        await using var server = new LoopbackListener((_, _) => throw new InvalidDataException("handler failed"));
        using var client = await ConnectAsync(server);

        var handler = await AcceptedHandlerAsync(server);

        await Assert.ThrowsAsync<InvalidDataException>(() => handler);
    }

    private static async Task ReadToEndAsync(LoopbackConnection connection, CancellationToken stop)
    {
        var buffer = new byte[64];
        while (await connection.Wire.ReadAsync(buffer, stop) > 0)
        {
        }
    }

    private static async Task<TcpClient> ConnectAsync(LoopbackListener server)
    {
        var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(IPAddress.Loopback, server.Port);
        return client;
    }

    private static async Task<Task> AcceptedHandlerAsync(LoopbackListener server)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (server.Accepted == 0)
        {
            await Task.Delay(10, deadline.Token);
        }

        return server.Handlers[0];
    }

    /// <summary>0 when the server closed or reset the connection.</summary>
    private static async Task<int> ReadOrResetAsync(TcpClient client)
    {
        try
        {
            using var deadline = new CancellationTokenSource(Timeout);
            return await client.GetStream().ReadAsync(new byte[1], deadline.Token);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}

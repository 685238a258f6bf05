using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace DbTls.Tests.Infrastructure;

/// <summary>
/// The one base of every in-process test server, proxy and peer: a listener on an ephemeral loopback port,
/// the accept loop that hands each client (a <see cref="LoopbackConnection"/>, recording what crossed the
/// wire) to the server's handler without waiting for it, the handlers' tasks, waits for "the client's
/// connections have ended", and an orderly stop that never hangs. The handler is called on the accept
/// loop in accept order, so bookkeeping it does before its first await (numbering connections) follows
/// the order of arrival; work that blocks belongs after an await or in <c>Task.Run</c>.
/// </summary>
internal sealed class LoopbackListener : IAsyncDisposable
{
    private static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(10);

    // After the grace the remaining connections are reset; a handler that still ignores both is left behind.
    private static readonly TimeSpan ResetGrace = TimeSpan.FromSeconds(5);

    private readonly TcpListener _listener;
    private readonly Func<LoopbackConnection, CancellationToken, Task> _handle;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<LoopbackConnection> _connections = [];
    private readonly ConcurrentDictionary<IPEndPoint, TaskCompletionSource> _probes = new();
    private readonly Task _acceptLoop;

    /// <summary>Serves each client with <c>handle</c>, given the accepted socket.</summary>
    public LoopbackListener(Func<TcpClient, CancellationToken, Task> handle, IPAddress? address = null)
        : this(address, (connection, stop) => handle(connection.Client, stop))
    {
    }

    private LoopbackListener(IPAddress? address, Func<LoopbackConnection, CancellationToken, Task> handle)
    {
        _handle = handle;
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Starts a server whose handler gets the whole <see cref="LoopbackConnection"/> (recording stream, index, reset).</summary>
    public static LoopbackListener Start(Func<LoopbackConnection, CancellationToken, Task> handle, IPAddress? address = null) =>
        new(address, handle);

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    /// <summary>Cancelled when the server stops; handlers pass it to everything they await.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>The connections accepted so far, in accept order (probes of <see cref="SettleAsync"/> are not among them).</summary>
    public IReadOnlyList<LoopbackConnection> Connections
    {
        get
        {
            lock (_connections)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>How many connections were accepted so far.</summary>
    public int Accepted
    {
        get
        {
            lock (_connections)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>The handlers started so far.</summary>
    public Task[] Handlers => [.. Connections.Select(c => c.Handler)];

    /// <summary>Waits until <c>count</c> connections have been accepted and their handlers have ended, at most <c>timeout</c>.</summary>
    public async Task<IReadOnlyList<LoopbackConnection>> WaitForConnectionsAsync(int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (Accepted < count)
            {
                await Task.Delay(10, deadline.Token);
            }

            var connections = Connections;
            await Task.WhenAll(connections.Take(count).Select(c => c.Completion)).WaitAsync(deadline.Token);
            return connections;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"the test server on port {Port} saw {Accepted} of {count} connections end within {timeout}");
        }
    }

    /// <summary>
    /// Waits until every connection a client opened so far has been accepted and its handler has ended,
    /// and returns them. A probe connection of the listener's own, accepted after all earlier ones (the
    /// listen queue is first in, first out) and never handed to the handler, proves that none is still
    /// waiting to be accepted. After this, what a connection recorded is all the client ever sent on it.
    /// </summary>
    public async Task<IReadOnlyList<LoopbackConnection>> SettleAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        var address = EndPoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : EndPoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : EndPoint.Address;
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);

        // Bound before it connects, so the accept loop knows the probe by its address before it can arrive.
        probe.Bind(new IPEndPoint(address, 0));
        var probeEndPoint = (IPEndPoint)probe.LocalEndPoint!;
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _probes[probeEndPoint] = seen;
        try
        {
            await probe.ConnectAsync(address, Port, deadline.Token);
            await seen.Task.WaitAsync(deadline.Token);
            var connections = Connections;
            await Task.WhenAll(connections.Select(c => c.Completion)).WaitAsync(deadline.Token);
            return connections;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"the test server on port {Port} did not settle: {Accepted} connections, the probe {(seen.Task.IsCompleted ? "" : "not ")}accepted");
        }
        finally
        {
            _probes.TryRemove(probeEndPoint, out _);
        }
    }

    /// <summary>Stops accepting and cancels <see cref="Stopping"/>; the server may then close its connections before <see cref="DisposeAsync()"/>.</summary>
    public async Task StopAcceptingAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
    }

    /// <summary>Stops, then waits for the accept loop and (at most 10 s) for the handlers, whose own failures they record themselves.</summary>
    public async ValueTask DisposeAsync() => await DisposeAsync(DefaultGrace);

    /// <summary>
    /// Stops, waits at most <c>handlerGrace</c> for the handlers, then resets the connections whose handler is
    /// still running (which ends any read they are stuck in) and waits for those a little more; never hangs.
    /// </summary>
    public async ValueTask DisposeAsync(TimeSpan handlerGrace)
    {
        await StopAcceptingAsync();
        await _acceptLoop;
        var connections = Connections;
        if (!await EndedWithinAsync(connections, handlerGrace))
        {
            foreach (var connection in connections.Where(c => !c.Completion.IsCompleted))
            {
                connection.Reset();
            }

            await EndedWithinAsync(connections, ResetGrace);
        }

        foreach (var connection in connections)
        {
            connection.Client.Dispose();
        }

        _stop.Dispose();
    }

    private static async Task<bool> EndedWithinAsync(IReadOnlyList<LoopbackConnection> connections, TimeSpan grace)
    {
        var all = Task.WhenAll(connections.Select(c => c.Completion));
        await all.WaitAsync(grace).ContinueWith(_ => { }, TaskScheduler.Default);
        return all.IsCompleted;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (client.Client.RemoteEndPoint is IPEndPoint remote && _probes.TryGetValue(remote, out var probe))
            {
                client.Dispose();
                probe.TrySetResult();
                continue;
            }

            LoopbackConnection connection;
            lock (_connections)
            {
                connection = new LoopbackConnection(client, _connections.Count);
                _connections.Add(connection);
            }

            // Not awaited: a slow or silent connection must not hold up the next one.
            connection.Serve(Handle(connection));
        }
    }

    private Task Handle(LoopbackConnection connection)
    {
        try
        {
            return _handle(connection, _stop.Token);
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }
}

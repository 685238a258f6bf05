using System.Net;
using System.Net.Sockets;

namespace DbTls.Tests.Infrastructure;

/// <summary>
/// What every in-process test server shares: a listener on an ephemeral loopback port, the accept loop
/// (<see cref="TcpAcceptLoop"/>) that hands each client to the server's handler without waiting for it,
/// the handlers' tasks and an orderly stop. The handler is called on the accept loop in accept order, so
/// bookkeeping it does before its first await (numbering connections) follows the order of arrival.
/// </summary>
internal sealed class LoopbackListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _handlers = [];
    private readonly Task _acceptLoop;

    public LoopbackListener(Func<TcpClient, CancellationToken, Task> handle, IPAddress? address = null)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _acceptLoop = TcpAcceptLoop.RunAsync(_listener, client => Track(handle(client, _stop.Token)), () => { }, _stop.Token);
    }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    /// <summary>Cancelled when the server stops; handlers pass it to everything they await.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>The handlers started so far.</summary>
    public Task[] Handlers
    {
        get
        {
            lock (_handlers)
            {
                return [.. _handlers];
            }
        }
    }

    /// <summary>Stops accepting and cancels <see cref="Stopping"/>; the server may then close its connections before <see cref="DisposeAsync"/>.</summary>
    public async Task StopAcceptingAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
    }

    /// <summary>Stops, then waits for the accept loop and (at most <c>handlerGrace</c>) for the handlers, whose own failures they record themselves.</summary>
    public async ValueTask DisposeAsync() => await DisposeAsync(TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync(TimeSpan handlerGrace)
    {
        await StopAcceptingAsync();
        await _acceptLoop;
        await Task.WhenAll(Handlers).WaitAsync(handlerGrace).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private Task Track(Task handler)
    {
        lock (_handlers)
        {
            _handlers.Add(handler);
        }

        return handler;
    }
}

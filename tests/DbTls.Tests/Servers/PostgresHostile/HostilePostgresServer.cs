using System.Net;
using System.Net.Sockets;

namespace DbTls.Tests.Servers.PostgresHostile;

/// <summary>
/// A PostgreSQL server that misbehaves on purpose. It listens on loopback, runs a script for every
/// connection it accepts and records every byte the client sent on the wire (below TLS), so tests
/// can prove what the client did and did not send.
/// </summary>
public sealed class HostilePostgresServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<HostileConnection, CancellationToken, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<HostileConnection> _connections = [];
    private readonly List<Task> _scripts = [];
    private readonly List<Exception> _failures = [];
    private readonly Task _acceptLoop;

    private HostilePostgresServer(Func<HostileConnection, CancellationToken, Task> script)
    {
        _script = script;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Starts a server whose script runs once per accepted connection (the connection index tells attempts apart).</summary>
    public static HostilePostgresServer Start(Func<HostileConnection, CancellationToken, Task> script) => new(script);

    public IReadOnlyList<HostileConnection> Connections
    {
        get
        {
            lock (_connections)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>Exceptions the scripts threw other than the client hanging up; a test that expects a clean script asserts this is empty.</summary>
    public IReadOnlyList<Exception> ScriptFailures
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>Waits until every script has finished (they end when the client closes), at most <paramref name="timeout"/>.</summary>
    public async Task WaitForScriptsAsync(TimeSpan timeout)
    {
        Task[] running;
        lock (_scripts)
        {
            running = [.. _scripts];
        }

        await Task.WhenAll(running).WaitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var connection in Connections)
        {
            connection.Abort();
        }

        try
        {
            await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(5));
            Task[] running;
            lock (_scripts)
            {
                running = [.. _scripts];
            }

            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or ObjectDisposedException or SocketException)
        {
            // Shutting down.
        }

        foreach (var connection in Connections)
        {
            connection.Dispose();
        }

        _stop.Dispose();
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
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            HostileConnection connection;
            lock (_connections)
            {
                connection = new HostileConnection(client, _connections.Count);
                _connections.Add(connection);
            }

            lock (_scripts)
            {
                _scripts.Add(RunScriptAsync(connection));
            }
        }
    }

    private async Task RunScriptAsync(HostileConnection connection)
    {
        try
        {
            await _script(connection, _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or EndOfStreamException or System.Security.Authentication.AuthenticationException)
        {
            // The client hung up or the test ended: normal for a hostile server.
        }
        catch (Exception ex)
        {
            lock (_failures)
            {
                _failures.Add(ex);
            }
        }
        finally
        {
            connection.Close();
        }
    }
}

using System.Net.Sockets;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Servers.PostgresHostile;

/// <summary>
/// A PostgreSQL server that misbehaves on purpose. It listens on loopback, runs a script for every
/// connection it accepts and records every byte the client sent on the wire (below TLS), so tests
/// can prove what the client did and did not send.
/// </summary>
public sealed class HostilePostgresServer : IAsyncDisposable
{
    private readonly Func<HostileConnection, CancellationToken, Task> _script;
    private readonly List<HostileConnection> _connections = [];
    private readonly List<Exception> _failures = [];
    private readonly LoopbackListener _listener;

    private HostilePostgresServer(Func<HostileConnection, CancellationToken, Task> script)
    {
        _script = script;
        _listener = LoopbackListener.Start(Accept);
    }

    public int Port => _listener.Port;

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
    public Task WaitForScriptsAsync(TimeSpan timeout) => Task.WhenAll(_listener.Handlers).WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        // Scripts may be waiting for a client that is gone: no grace, every connection still open is reset so they end now.
        await _listener.DisposeAsync(TimeSpan.Zero);
        foreach (var connection in Connections)
        {
            connection.Dispose();
        }
    }

    /// <summary>Numbers the connection in accept order and runs the script on it.</summary>
    private Task Accept(LoopbackConnection accepted, CancellationToken stop)
    {
        var connection = new HostileConnection(accepted);
        lock (_connections)
        {
            _connections.Add(connection);
        }

        return RunScriptAsync(connection, stop);
    }

    private async Task RunScriptAsync(HostileConnection connection, CancellationToken stop)
    {
        try
        {
            await _script(connection, stop);
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

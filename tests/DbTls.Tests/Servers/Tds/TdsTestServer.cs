using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Servers.Tds;

/// <summary>
/// A TDS server on a loopback port that behaves the way SQL Server does on the wire for
/// everything TLS-related: PRELOGIN encryption negotiation by the MS-TDS table, TLS wrapped in
/// PRELOGIN packets then direct, login-only encryption, TDS 8.0 strict, SQL logins, and the
/// sys.dm_exec_connections view. It records every byte of every connection.
/// </summary>
public sealed class TdsTestServer : IAsyncDisposable
{
    private readonly List<TdsConnectionRecord> _connections = [];
    private readonly LoopbackListener _listener;

    private TdsTestServer(TdsTestServerOptions options)
    {
        Options = options;
        _listener = LoopbackListener.Start(Accept);
    }

    public TdsTestServerOptions Options { get; }

    public int Port => _listener.Port;

    /// <summary>A SqlClient data source for this server.</summary>
    public string DataSource(string host = "127.0.0.1") => $"tcp:{host},{Port}";

    public IReadOnlyList<TdsConnectionRecord> Connections
    {
        get
        {
            lock (_connections)
            {
                return [.. _connections];
            }
        }
    }

    public static TdsTestServer Start(TdsTestServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TdsTestServer(options);
    }

    /// <summary>Waits until <paramref name="count"/> connections have been accepted and have ended.</summary>
    public async Task<IReadOnlyList<TdsConnectionRecord>> WaitForConnectionsAsync(int count = 1, TimeSpan? timeout = null)
    {
        await _listener.WaitForConnectionsAsync(count, timeout ?? TimeSpan.FromSeconds(20));
        return Connections;
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    /// <summary>Numbers the connection in accept order, then runs its session off the accept loop.</summary>
    private Task Accept(LoopbackConnection connection, CancellationToken stop)
    {
        var id = connection.Index + 1;
        var record = new TdsConnectionRecord(id, (ushort)(50 + id), connection.Received, connection.Sent);
        lock (_connections)
        {
            _connections.Add(record);
        }

        var session = new TdsServerSession(Options, connection, record);
        return Task.Run(() => session.RunAsync(stop));
    }
}

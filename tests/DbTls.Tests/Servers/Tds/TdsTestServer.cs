using System.Net.Sockets;
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
    private int _nextId;

    private TdsTestServer(TdsTestServerOptions options)
    {
        Options = options;
        _listener = new LoopbackListener(Accept);
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
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (Connections.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the TDS test server saw {Connections.Count} of {count} connections");
            }

            await Task.Delay(20);
        }

        var records = Connections;
        var remaining = deadline - DateTime.UtcNow;
        await Task.WhenAll(records.Take(count).Select(r => r.Completion)).WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1));
        return records;
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    /// <summary>Numbers the connection in accept order, then runs its session off the accept loop.</summary>
    private Task Accept(TcpClient client, CancellationToken stop)
    {
        var id = Interlocked.Increment(ref _nextId);
        var record = new TdsConnectionRecord(id, (ushort)(50 + id));
        lock (_connections)
        {
            _connections.Add(record);
        }

        var session = new TdsServerSession(Options, client, record);
        return Task.Run(() => session.RunAsync(stop));
    }
}

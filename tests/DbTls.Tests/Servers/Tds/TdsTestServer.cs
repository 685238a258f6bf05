using System.Net;
using System.Net.Sockets;

namespace DbTls.Tests.Servers.Tds;

/// <summary>
/// A TDS server on a loopback port that behaves the way SQL Server does on the wire for
/// everything TLS-related: PRELOGIN encryption negotiation by the MS-TDS table, TLS wrapped in
/// PRELOGIN packets then direct, login-only encryption, TDS 8.0 strict, SQL logins, and the
/// sys.dm_exec_connections view. It records every byte of every connection.
/// </summary>
public sealed class TdsTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TdsConnectionRecord> _connections = [];
    private readonly List<Task> _sessions = [];
    private readonly Task _acceptLoop;
    private int _nextId;

    private TdsTestServer(TdsTestServerOptions options)
    {
        Options = options;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public TdsTestServerOptions Options { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
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
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var id = Interlocked.Increment(ref _nextId);
            var record = new TdsConnectionRecord(id, (ushort)(50 + id));
            lock (_connections)
            {
                _connections.Add(record);
            }

            var session = new TdsServerSession(Options, client, record);
            var task = Task.Run(() => session.RunAsync(_stop.Token));
            lock (_sessions)
            {
                _sessions.Add(task);
            }
        }
    }
}

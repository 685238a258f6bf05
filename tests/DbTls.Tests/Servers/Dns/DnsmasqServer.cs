using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DbTls.Tests.Infrastructure;
using DnsClient;

namespace DbTls.Tests.Servers.Dns;

/// <summary>
/// Debian's dnsmasq (package dnsmasq-base) serving a <see cref="DnsZone"/> on 127.0.0.1 at a free port, UDP
/// and TCP, with no upstream, no /etc/hosts and no configuration file: it answers exactly the zone.
/// <para>
/// It runs under a small shell that kills it when its standard input closes, so a test process that dies
/// takes dnsmasq with it. <c>--keep-in-foreground</c> (not <c>--no-daemon</c>, which never drops root)
/// lets it switch to <c>nobody</c> when the tests run as root, as CI does; a non-root run stays that user.
/// </para>
/// </summary>
public sealed class DnsmasqServer : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/dnsmasq";

    // Prints dnsmasq's pid, then waits for stdin to close (dispose, or the test process dying) and stops it.
    private const string Watchdog = "\"$@\" & pid=$!; echo $pid; while read -r _; do :; done; kill $pid 2>/dev/null; wait $pid";

    private const string ProbeName = "dbtls-probe.invalid";

    private readonly Process _shell;
    private readonly StringBuilder _log = new();
    private readonly Task _logPump;

    private DnsmasqServer(Process shell, int pid, int port)
    {
        _shell = shell;
        Pid = pid;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
        _logPump = PumpLogAsync(shell.StandardError, _log);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>The dnsmasq process (not the shell around it).</summary>
    public int Pid { get; }

    /// <summary>"127.0.0.1:port", the form <c>--dns-server</c> takes.</summary>
    public string Address => EndPoint.ToString();

    /// <summary>dnsmasq's log so far: with --log-queries it lists every query it answered, e.g. "query[SRV] _mongodb._tcp.x from 127.0.0.1".</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The queries dnsmasq logged after it was ready, as "TYPE name" (e.g. "SRV _mongodb._tcp.cluster0.example.test").</summary>
    public IReadOnlyList<string> Queries =>
        [.. Log.Split('\n')
            .Select(line => line.IndexOf(" query[", StringComparison.Ordinal) is var at and >= 0 ? line[(at + 7)..] : null)
            .OfType<string>()
            .Select(query => query[..query.IndexOf(']', StringComparison.Ordinal)] + " " + query.Split(' ')[1])
            .Where(query => !query.EndsWith(" " + ProbeName, StringComparison.Ordinal))];

    /// <summary>
    /// Waits until dnsmasq has logged <paramref name="query"/> ("TYPE name"): its log line reaches the pipe
    /// independently of the answer, so a client can have its answer before the line is readable here.
    /// </summary>
    public async Task<bool> SawQueryAsync(string query)
    {
        var waited = Stopwatch.StartNew();
        while (!Queries.Contains(query))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(5))
            {
                return false;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        return true;
    }

    public static async Task<DnsmasqServer> StartAsync(DnsZone zone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: install the Debian package dnsmasq-base (scripts/setup.sh does)");
        }

        // Another process may take the port between the probe and dnsmasq's bind: try a few.
        var failures = new StringBuilder();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = PickFreePort();
            var server = Launch(zone, port);
            if (await server.WaitUntilAnsweringAsync(cancellationToken).ConfigureAwait(false))
            {
                return server;
            }

            failures.Append(CultureInfo.InvariantCulture, $"port {port}: {server.Log}\n");
            await server.DisposeAsync().ConfigureAwait(false);
        }

        throw new InvalidOperationException("dnsmasq did not start:\n" + failures);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _shell.StandardInput.Close();
        }
        catch (IOException)
        {
            // The shell is already gone.
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _shell.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ProcessRunner.KillTree(_shell);
        }

        // The shell waited for dnsmasq; make sure, since a leftover would hold the port.
        if (ProcessTable.IsAlive(Pid))
        {
            try
            {
                Process.GetProcessById(Pid).Kill();
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }

        await Task.WhenAny(_logPump, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        _shell.Dispose();
    }

    private static DnsmasqServer Launch(DnsZone zone, int port)
    {
        List<string> arguments =
        [
            "-c", Watchdog, "dbtls-dnsmasq", Binary,
            "--keep-in-foreground", "--pid-file", "--conf-file=/dev/null",
            string.Create(CultureInfo.InvariantCulture, $"--port={port}"),
            "--listen-address=127.0.0.1", "--bind-interfaces",
            "--no-resolv", "--no-hosts", "--no-poll", "--log-queries", "--log-facility=-",
        ];
        if (UnixAccounts.IsRoot)
        {
            arguments.Add("--user=nobody");
        }

        arguments.AddRange(zone.Arguments);
        var startInfo = ProcessRunner.CreateStartInfo(new ProcessSpec("/bin/sh", arguments));
        startInfo.RedirectStandardInput = true;
        var shell = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start /bin/sh for dnsmasq");
        var pidLine = shell.StandardOutput.ReadLine();
        var pid = int.TryParse(pidLine, CultureInfo.InvariantCulture, out var p) ? p : 0;
        return new DnsmasqServer(shell, pid, port);
    }

    /// <summary>Polls with a real query until dnsmasq answers (any response code counts) or exits.</summary>
    private async Task<bool> WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        var probe = new LookupClient(new LookupClientOptions(EndPoint) { UseCache = false, Timeout = TimeSpan.FromMilliseconds(200), Retries = 0, ThrowDnsErrors = false });
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!ProcessTable.IsAlive(Pid))
            {
                return false;
            }

            try
            {
                await probe.QueryAsync(ProbeName, QueryType.A, QueryClass.IN, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (DnsResponseException)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }

        return false;
    }

    private static int PickFreePort()
    {
        // dnsmasq binds UDP and TCP on the port; find one where both are free.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // TCP port taken; try another.
            }
        }

        throw new InvalidOperationException("no free loopback port for dnsmasq");
    }

    private static async Task PumpLogAsync(StreamReader reader, StringBuilder sink)
    {
        while (await reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
        {
            lock (sink)
            {
                sink.Append(line).Append('\n');
            }
        }
    }
}

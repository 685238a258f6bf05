using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Servers.Postgres;

/// <summary>Options for <see cref="PostgresServer.StartAsync"/>.</summary>
public sealed record PostgresServerOptions
{
    public PostgresTlsSettings Settings { get; init; } = PostgresTlsSettings.Default;

    /// <summary>How long initdb plus startup may take.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Extra <c>name = value</c> lines for postgresql.conf (values written verbatim, quote strings yourself).</summary>
    public IReadOnlyDictionary<string, string>? ExtraSettings { get; init; }
}

/// <summary>
/// A real PostgreSQL server for one test run: fresh data directory under /tmp owned by the
/// <c>postgres</c> account, started as that account (runuser when the tests run as root), listening
/// on a free port on 127.0.0.1 and ::1 with TLS on, the roles of <see cref="PostgresUsers"/> and the
/// rules of <see cref="HbaConf"/>. The certificate chain, key, CA file and TLS settings can be
/// swapped and reloaded (SIGHUP) so one server serves a whole matrix of certificate fixtures.
/// </summary>
/// <remarks>
/// The server is started under a small shell "watchdog" whose standard input is a pipe from the
/// test process: when that pipe closes (dispose, normal exit, or the test process being killed) the
/// watchdog sends SIGQUIT (immediate shutdown) to the postmaster. So no server outlives the tests,
/// even after a crash. AppDomain.ProcessExit also stops every live server.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string ServiceAccount = "postgres";

    // $1 bin dir, $2 data dir, $3 log file, $4 the server's base directory.
    // The harness says "stop" before closing the pipe and then removes the directory itself; an
    // EOF without "stop" means the test process died, so the watchdog also removes the directory.
    private const string WatchdogScript = """
        exec 3<&0
        "$1/postgres" -D "$2" >>"$3" 2>&1 </dev/null 3<&- &
        pid=$!
        echo "$pid"
        {
          read -r word <&3 || word=
          kill -QUIT "$pid" 2>/dev/null
          if [ "$word" != stop ]; then
            n=0
            while kill -0 "$pid" 2>/dev/null && [ "$n" -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
            rm -rf "$4"
          fi
        } &
        exec 3<&-
        wait "$pid"
        """;

    private static readonly ConcurrentDictionary<PostgresServer, byte> LiveServers = new();
    private static int ExitHookInstalled;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Process? _watchdog;
    private int _disposed;

    private PostgresServer(PostgresVersion version, string binDirectory, string baseDirectory, ServerTlsMaterial tls, PostgresTlsSettings settings, IReadOnlyDictionary<string, string>? extraSettings)
    {
        Version = version;
        BinDirectory = binDirectory;
        BaseDirectory = baseDirectory;
        InitialTls = tls;
        CurrentTls = tls;
        InitialSettings = settings;
        CurrentSettings = settings;
        ExtraSettings = extraSettings;
        ListensOnIPv6 = IsIPv6LoopbackUsable();
    }

    public PostgresVersion Version { get; }

    /// <summary>Directory with initdb, pg_ctl and postgres.</summary>
    public string BinDirectory { get; }

    /// <summary>The temp directory holding everything (data dir, log); also the Unix socket directory.</summary>
    public string BaseDirectory { get; }

    public string DataDirectory => Path.Combine(BaseDirectory, "data");

    public string SocketDirectory => BaseDirectory;

    public string LogFile => Path.Combine(BaseDirectory, "server.log");

    public int Port { get; private set; }

    /// <summary>True when the machine has a usable ::1 and the server listens there too.</summary>
    public bool ListensOnIPv6 { get; }

    /// <summary>The server's <c>server_version</c>, e.g. "15.18 (Debian 15.18-0+deb12u1)" or "18.4".</summary>
    public string ServerVersion { get; private set; } = "";

    /// <summary>The postmaster's process id.</summary>
    public int PostmasterPid { get; private set; }

    /// <summary>The TLS material the server was started with; <see cref="RestoreDefaultsAsync"/> returns to it.</summary>
    public ServerTlsMaterial InitialTls { get; }

    public ServerTlsMaterial CurrentTls { get; private set; }

    /// <summary>The settings the server was started with (<see cref="PostgresServerOptions.Settings"/>); <see cref="RestoreDefaultsAsync"/> returns to them.</summary>
    public PostgresTlsSettings InitialSettings { get; }

    public PostgresTlsSettings CurrentSettings { get; private set; }

    private IReadOnlyDictionary<string, string>? ExtraSettings { get; }

    /// <summary>Wall time of initdb + start + role creation.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Wall time of the stop (immediate shutdown, until the postmaster exited) and removal of the directory.</summary>
    public TimeSpan? ShutdownTime { get; private set; }

    /// <summary>The pg_hba.conf every server uses; first matching line wins.</summary>
    public static string HbaConf { get; } = BuildHbaConf();

    /// <summary>
    /// Creates, configures and starts a server with <paramref name="tls"/> as its initial certificates.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(PostgresVersion version, ServerTlsMaterial tls, PostgresServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tls);
        options ??= new PostgresServerOptions();
        InstallExitHook();
        var stopwatch = Stopwatch.StartNew();
        var bin = PostgresBinaries.BinDirectory(version);
        // Orphans are directories of killed test processes whose watchdog could not clean up; one
        // with a postmaster.pid may still have a server in it, so it is left alone.
        var baseDirectory = OwnedTempDirectory.Create($"dbtls-pg{(int)version}-", orphan => !File.Exists(Path.Combine(orphan, "data", "postmaster.pid")));
        var server = new PostgresServer(version, bin, baseDirectory, tls, options.Settings, options.ExtraSettings);
        LiveServers[server] = 0;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.StartTimeout);
            await server.InitializeAsync(timeout.Token).ConfigureAwait(false);
            await server.StartPostmasterAsync(timeout.Token).ConfigureAwait(false);
            await server.CreateRolesAsync(timeout.Token).ConfigureAwait(false);
            server.ServerVersion = await server.QueryScalarAsync("show server_version", timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        server.StartupTime = stopwatch.Elapsed;
        return server;
    }

    /// <summary>A libpq conninfo for this server (host=localhost, this port, dbname=postgres) plus any extra keywords.</summary>
    public string ConnInfo(string user, string? password = null, string? extra = null)
    {
        var builder = new StringBuilder().Append(CultureInfo.InvariantCulture, $"host=localhost port={Port} user={user} dbname={PostgresUsers.Database}");
        if (password is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $" password={password}");
        }

        if (!string.IsNullOrWhiteSpace(extra))
        {
            builder.Append(' ').Append(extra);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Writes new certificate files (and optionally new TLS settings) and reloads the server; returns
    /// once new connections use them. Throws when the server refused the new SSL configuration.
    /// </summary>
    public async Task ReloadWithCertificatesAsync(ServerTlsMaterial tls, PostgresTlsSettings? settings = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tls);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var effective = settings ?? CurrentSettings;
            WriteTlsFiles(tls);
            WriteSettings(effective, tls);
            await ReloadCoreAsync(cancellationToken).ConfigureAwait(false);
            CurrentTls = tls;
            CurrentSettings = effective;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Changes ssl on/off, protocol bounds or ciphers by reload, keeping the current certificates.</summary>
    public Task ReloadAsync(PostgresTlsSettings settings, CancellationToken cancellationToken = default) =>
        ReloadWithCertificatesAsync(CurrentTls, settings, cancellationToken);

    /// <summary>Returns to the initial certificates and settings; a no-op when already there.</summary>
    public Task RestoreDefaultsAsync(CancellationToken cancellationToken = default) =>
        ReferenceEquals(CurrentTls, InitialTls) && CurrentSettings == InitialSettings
            ? Task.CompletedTask
            : ReloadWithCertificatesAsync(InitialTls, InitialSettings, cancellationToken);

    /// <summary>Runs SQL as the superuser over the Unix socket (no TLS involved).</summary>
    public Task<ProcessResult> ExecuteAsSuperuserAsync(string sql, CancellationToken cancellationToken = default) =>
        PsqlRunner.RunAsync(SuperuserSocketConnInfo, new PsqlOptions
        {
            Script = sql,
            Environment = new Dictionary<string, string> { ["PGPASSWORD"] = PostgresUsers.SuperuserPassword },
        }, cancellationToken);

    /// <summary>Runs a query as the superuser over the Unix socket and returns its single value (psql -tA output).</summary>
    public async Task<string> QueryScalarAsync(string sql, CancellationToken cancellationToken = default)
    {
        var result = await PsqlRunner.RunAsync(SuperuserSocketConnInfo, new PsqlOptions
        {
            Sql = sql,
            Environment = new Dictionary<string, string> { ["PGPASSWORD"] = PostgresUsers.SuperuserPassword },
        }, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"'{sql}' failed on PostgreSQL {(int)Version}: {result}");
        }

        return result.Stdout.Trim();
    }

    /// <summary>The server log so far (connection attempts are logged, useful in assertion messages).</summary>
    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    /// <summary>Stops the server (immediate shutdown) and deletes its directory.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return ValueTask.CompletedTask;
        }

        LiveServers.TryRemove(this, out _);
        var stopwatch = Stopwatch.StartNew();
        Stop();
        DeleteBaseDirectory();
        ShutdownTime = stopwatch.Elapsed;
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    private string SuperuserSocketConnInfo =>
        $"host={SocketDirectory} port={Port.ToString(CultureInfo.InvariantCulture)} user={PostgresUsers.Superuser} dbname={PostgresUsers.Database}";

    private static void InstallExitHook()
    {
        if (Interlocked.Exchange(ref ExitHookInstalled, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                foreach (var server in LiveServers.Keys)
                {
                    server.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
            };
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        UnixAccounts.ChangeOwner(BaseDirectory, ServiceAccount);
        var template = await PostgresTemplates.GetAsync(Version, BinDirectory, cancellationToken).ConfigureAwait(false);
        await PostgresTemplates.CopyAsync(template, DataDirectory, cancellationToken).ConfigureAwait(false);
        WriteServiceFile(Path.Combine(DataDirectory, "pg_hba.conf"), HbaConf);
        File.AppendAllText(Path.Combine(DataDirectory, "postgresql.conf"), "\n# dbtls test harness settings (rewritten on reload)\ninclude 'dbtls.conf'\n");
        WriteTlsFiles(CurrentTls);
    }

    private async Task StartPostmasterAsync(CancellationToken cancellationToken)
    {
        // Another process may grab the port between our probe and the postmaster's bind: retry on a new one.
        for (var attempt = 1; ; attempt++)
        {
            Port = PickFreePort(ListensOnIPv6);
            WriteSettings(CurrentSettings, CurrentTls);
            var (ready, bindFailure) = await TryStartOnceAsync(cancellationToken).ConfigureAwait(false);
            if (ready)
            {
                return;
            }

            if (!bindFailure || attempt >= 5)
            {
                throw new InvalidOperationException($"PostgreSQL {(int)Version} did not start (port {Port}, directory {BaseDirectory}):\n{ReadLog()}");
            }
        }
    }

    private async Task<(bool Ready, bool BindFailure)> TryStartOnceAsync(CancellationToken cancellationToken)
    {
        var logStart = ReadLog().Length;
        var (fileName, arguments) = UnixAccounts.AsUser(ServiceAccount, "/bin/sh", ["-c", WatchdogScript, "dbtls-pg-watchdog", BinDirectory, DataDirectory, LogFile, BaseDirectory]);
        var startInfo = ProcessRunner.CreateStartInfo(new ProcessSpec(fileName, arguments)
        {
            WorkingDirectory = BaseDirectory,
            ExtraEnvironment = new Dictionary<string, string> { ["LANG"] = "C.UTF-8", ["LC_ALL"] = "C.UTF-8" },
        });
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardError = false;
        var watchdog = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start the PostgreSQL watchdog");
        _watchdog = watchdog;
        var pidLine = await watchdog.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        PostmasterPid = int.TryParse(pidLine, CultureInfo.InvariantCulture, out var pid) ? pid : 0;

        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (watchdog.HasExited)
            {
                Stop();
                var log = ReadLog()[logStart..];
                return (false, log.Contains("could not bind", StringComparison.Ordinal) || log.Contains("Address already in use", StringComparison.Ordinal));
            }

            if (IsReady(pidFile) && await IsAcceptingAsync(cancellationToken).ConfigureAwait(false))
            {
                return (true, false);
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsReady(string pidFile)
    {
        try
        {
            // Line 8 of postmaster.pid is the postmaster status ("starting", "ready", ...).
            var lines = File.ReadAllLines(pidFile);
            return lines.Length >= 8 && lines[7].Trim() == "ready";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private async Task<bool> IsAcceptingAsync(CancellationToken cancellationToken)
    {
        List<IPAddress> addresses = [IPAddress.Loopback];
        if (ListensOnIPv6)
        {
            addresses.Add(IPAddress.IPv6Loopback);
        }

        foreach (var address in addresses)
        {
            using var client = new TcpClient(address.AddressFamily);
            try
            {
                await client.ConnectAsync(address, Port, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }

    private async Task CreateRolesAsync(CancellationToken cancellationToken)
    {
        // dbtls_md5's password is stored as MD5 so the md5 rule really exchanges an MD5 hash
        // (with a SCRAM verifier the server silently upgrades md5 to SCRAM).
        var script = $"""
            SET client_min_messages = error;
            SET password_encryption = 'md5';
            CREATE ROLE {PostgresUsers.Md5} LOGIN PASSWORD '{PostgresUsers.Md5Password}';
            SET password_encryption = 'scram-sha-256';
            CREATE ROLE {PostgresUsers.Scram} LOGIN PASSWORD '{PostgresUsers.ScramPassword}';
            CREATE ROLE {PostgresUsers.Password} LOGIN PASSWORD '{PostgresUsers.PasswordPassword}';
            CREATE ROLE {PostgresUsers.Cert} LOGIN;
            CREATE ROLE {PostgresUsers.Plain} LOGIN PASSWORD '{PostgresUsers.PlainPassword}';
            CREATE ROLE {PostgresUsers.Any} LOGIN PASSWORD '{PostgresUsers.AnyPassword}';
            GRANT pg_read_all_stats TO {PostgresUsers.Md5}, {PostgresUsers.Scram}, {PostgresUsers.Password}, {PostgresUsers.Cert}, {PostgresUsers.Plain}, {PostgresUsers.Any};
            """;
        var result = await ExecuteAsSuperuserAsync(script, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Creating the test roles on PostgreSQL {(int)Version} failed: {result}");
        }
    }

    private async Task ReloadCoreAsync(CancellationToken cancellationToken)
    {
        var logStart = ReadLog().Length;

        // pg_conf_load_time() of a fresh backend is the postmaster's last reload time, so a change
        // proves that new connections are forked from a postmaster that has reloaded.
        var before = (await QueryScalarAsync("select pg_conf_load_time(), pg_reload_conf()", cancellationToken).ConfigureAwait(false)).Split('|')[0];
        var deadline = Stopwatch.StartNew();
        while (await QueryScalarAsync("select pg_conf_load_time()", cancellationToken).ConfigureAwait(false) == before)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(15))
            {
                throw new InvalidOperationException($"PostgreSQL {(int)Version} did not reload within 15 s:\n{ReadLog()[logStart..]}");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        var log = ReadLog()[logStart..];
        if (log.Contains("SSL configuration was not reloaded", StringComparison.Ordinal) || log.Contains("contains errors", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"PostgreSQL {(int)Version} rejected the new configuration:\n{log}");
        }
    }

    private void WriteTlsFiles(ServerTlsMaterial tls)
    {
        WriteServiceFile(Path.Combine(DataDirectory, "server.crt"), tls.CertificateChainPem);
        WriteServiceFile(Path.Combine(DataDirectory, "server.key"), tls.PrivateKeyPem, secret: true);
        WriteServiceFile(Path.Combine(DataDirectory, "ca.crt"), tls.CaPem ?? "");
        WriteServiceFile(Path.Combine(DataDirectory, "crl.pem"), tls.CrlPem ?? "");
    }

    private void WriteSettings(PostgresTlsSettings settings, ServerTlsMaterial tls)
    {
        var conf = new StringBuilder();
        void Line(string name, string value) => conf.Append(CultureInfo.InvariantCulture, $"{name} = {value}\n");
        static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

        Line("listen_addresses", Quote(ListensOnIPv6 ? "127.0.0.1,::1" : "127.0.0.1"));
        Line("port", Port.ToString(CultureInfo.InvariantCulture));
        Line("unix_socket_directories", Quote(SocketDirectory));
        Line("password_encryption", Quote("scram-sha-256"));
        Line("ssl", settings.Ssl ? "on" : "off");
        Line("ssl_cert_file", Quote("server.crt"));
        Line("ssl_key_file", Quote("server.key"));
        Line("ssl_ca_file", tls.CaPem is { Length: > 0 } ? Quote("ca.crt") : "''");
        Line("ssl_crl_file", tls.CrlPem is { Length: > 0 } ? Quote("crl.pem") : "''");
        Line("ssl_min_protocol_version", Quote(settings.MinProtocolVersion));
        Line("ssl_max_protocol_version", Quote(settings.MaxProtocolVersion));
        if (settings.Ciphers is not null)
        {
            Line("ssl_ciphers", Quote(settings.Ciphers));
        }

        // Small and fast: these servers hold no data worth keeping.
        Line("max_connections", "40");
        Line("shared_buffers", Quote("16MB"));
        Line("fsync", "off");
        Line("synchronous_commit", "off");
        Line("full_page_writes", "off");
        Line("log_connections", "on");
        Line("log_min_messages", "info");
        foreach (var (name, value) in ExtraSettings ?? new Dictionary<string, string>())
        {
            Line(name, value);
        }

        WriteServiceFile(Path.Combine(DataDirectory, "dbtls.conf"), conf.ToString());
    }

    private static void WriteServiceFile(string path, string content, bool secret = false)
    {
        CertFactory.WritePem(path, content, secret);
        UnixAccounts.ChangeOwner(path, ServiceAccount);
    }

    private void Stop() => StopWatchdog(sayStop: true);

    /// <summary>
    /// Closes the watchdog's pipe, which makes it send SIGQUIT (immediate shutdown, like
    /// <c>pg_ctl stop -m immediate</c>), and waits until the postmaster is gone. Without "stop"
    /// the watchdog behaves as if the test process had died and removes the directory itself.
    /// </summary>
    private void StopWatchdog(bool sayStop)
    {
        var watchdog = _watchdog;
        _watchdog = null;
        if (watchdog is null)
        {
            return;
        }

        try
        {
            try
            {
                if (sayStop)
                {
                    watchdog.StandardInput.WriteLine("stop");
                    watchdog.StandardInput.Flush();
                }
            }
            catch (IOException)
            {
                // Nobody reads any more: the watchdog is already gone.
            }

            watchdog.StandardInput.Close();
            if (!watchdog.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                ProcessRunner.KillTree(watchdog);
                watchdog.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        catch (IOException)
        {
            ProcessRunner.KillTree(watchdog);
        }
        finally
        {
            watchdog.Dispose();
        }
    }

    /// <summary>Test hook: behave as if the test process had died (pipe closed without "stop") and wait until the watchdog cleaned up.</summary>
    internal void AbandonAsIfTestProcessDied()
    {
        LiveServers.TryRemove(this, out _);
        StopWatchdog(sayStop: false);
    }

    private void DeleteBaseDirectory()
    {
        try
        {
            Directory.Delete(BaseDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static bool IsIPv6LoopbackUsable()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return false;
        }

        try
        {
            using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int PickFreePort(bool alsoIPv6)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            try
            {
                if (!alsoIPv6)
                {
                    return port;
                }

                using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.IPv6Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken on ::1; try another.
            }
            finally
            {
                listener.Stop();
            }
        }

        throw new InvalidOperationException("No free loopback port found");
    }

    private static string BuildHbaConf()
    {
        var hba = new StringBuilder();
        hba.Append("# dbtls test harness: one rule set per role, first match wins.\n");
        hba.Append("local     all  postgres        scram-sha-256\n");
        foreach (var network in new[] { "127.0.0.1/32", "::1/128" })
        {
            hba.Append(CultureInfo.InvariantCulture, $"host      all  {PostgresUsers.Superuser,-15} {network,-13} scram-sha-256\n");
            hba.Append(CultureInfo.InvariantCulture, $"hostssl   all  {PostgresUsers.Scram,-15} {network,-13} scram-sha-256\n");
            hba.Append(CultureInfo.InvariantCulture, $"hostssl   all  {PostgresUsers.Md5,-15} {network,-13} md5\n");
            hba.Append(CultureInfo.InvariantCulture, $"hostssl   all  {PostgresUsers.Password,-15} {network,-13} password\n");
            hba.Append(CultureInfo.InvariantCulture, $"hostssl   all  {PostgresUsers.Cert,-15} {network,-13} cert clientcert=verify-full\n");
            hba.Append(CultureInfo.InvariantCulture, $"hostnossl all  {PostgresUsers.Plain,-15} {network,-13} scram-sha-256\n");
            hba.Append(CultureInfo.InvariantCulture, $"hostssl   all  {PostgresUsers.Plain,-15} {network,-13} reject\n");
            hba.Append(CultureInfo.InvariantCulture, $"host      all  {PostgresUsers.Any,-15} {network,-13} scram-sha-256\n");
        }

        return hba.ToString();
    }
}

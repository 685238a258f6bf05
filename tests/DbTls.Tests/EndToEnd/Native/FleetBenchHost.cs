using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Mongo;
using DbTls.Tests.Servers.PostgresHostile;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Mongo;
using static DbTls.Tests.Servers.PostgresHostile.BackendWriter;

namespace DbTls.Tests.EndToEnd.Native;

/// <summary>
/// The endpoints of bench/fleet.sh, in one process (<c>dotnet DbTls.Tests.dll bench-fleet DIR PG TDS MONGO SILENT HOSTILE
/// USER PASSWORD</c>): PG PostgreSQL listeners (SSLRequest, TLS, trust login, the pg_stat_ssl row), TDS test servers
/// (PRELOGIN, TLS in PRELOGIN packets, LOGIN7 as USER/PASSWORD), MONGO test servers (direct TLS, hello, SCRAM-SHA-256 as USER/PASSWORD), SILENT
/// listeners that accept and never answer, HOSTILE ones that answer the SSLRequest with garbage and hang up. Every TLS
/// endpoint presents one localhost leaf of a fresh root (<c>DIR/root.pem</c>); <c>DIR/endpoints.txt</c> lists
/// <c>kind port</c> per endpoint; one line <c>ready</c> on stdout; everything stops when stdin closes.
/// </summary>
public static class FleetBenchHost
{
    public const string Command = "bench-fleet";

    public static async Task<int> MainAsync(string[] args)
    {
        if (args.Length != 8 || !Directory.Exists(args[0]) || !TryCounts(args.AsSpan(1, 5), out var counts))
        {
            await Console.Error.WriteLineAsync($"usage: DbTls.Tests {Command} <existing directory> PG TDS MONGO SILENT HOSTILE USER PASSWORD");
            return 2;
        }

        var (user, password) = (args[6], args[7]);
        using var root = CertFactory.CreateRoot("dbtls bench fleet root");
        using var leaf = CertFactory.CreateLeaf(root, new CertSpec { CommonName = "localhost", DnsNames = ["localhost"], IpAddresses = [IPAddress.Loopback] });
        CertFactory.WritePem(Path.Combine(args[0], "root.pem"), root.CertificatePem);

        var servers = new List<IAsyncDisposable>();
        var endpoints = new List<string>();
        try
        {
            for (var i = 0; i < counts[0]; i++)
            {
                var server = HostilePostgresServer.Start((c, ct) => ServePostgresAsync(c, leaf.Certificate, ct));
                servers.Add(server);
                endpoints.Add($"pg {server.Port}");
            }

            for (var i = 0; i < counts[1]; i++)
            {
                var server = TdsTestServer.Start(new TdsTestServerOptions { Certificate = leaf.Certificate, User = user, Password = password });
                servers.Add(server);
                endpoints.Add($"tds {server.Port}");
            }

            for (var i = 0; i < counts[2]; i++)
            {
                var server = MongoTestServer.Start(new MongoTestServerOptions { Certificate = leaf.Certificate, Users = [new MongoTestUser(user, "admin", password, ScramMechanism.Sha256)] });
                servers.Add(server);
                endpoints.Add($"mongo {server.Port}");
            }

            for (var i = 0; i < counts[3]; i++)
            {
                var server = new LoopbackListener(HoldAsync);
                servers.Add(server);
                endpoints.Add($"silent {server.Port}");
            }

            for (var i = 0; i < counts[4]; i++)
            {
                var server = HostilePostgresServer.Start(AnswerWithGarbageAsync);
                servers.Add(server);
                endpoints.Add($"hostile {server.Port}");
            }

            await File.WriteAllLinesAsync(Path.Combine(args[0], "endpoints.txt"), endpoints);
            Console.WriteLine("ready");
            await Console.Out.FlushAsync();
            while (await Console.In.ReadLineAsync() is not null)
            {
            }

            return 0;
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static bool TryCounts(ReadOnlySpan<string> values, out int[] counts)
    {
        counts = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (!int.TryParse(values[i], NumberStyles.None, CultureInfo.InvariantCulture, out counts[i]) || counts[i] > 5000)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What a PostgreSQL server with <c>hostssl all all trust</c> does for dbtls or psql: TLS, login, the query's row.</summary>
    private static async Task ServePostgresAsync(HostileConnection c, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, CancellationToken ct)
    {
        await c.ExpectSslRequestAsync(ct);
        await c.WriteAsync([(byte)'S']);
        await c.StartTlsAsync(certificate, null, ct);
        await c.ReadStartupAsync(ct);
        await c.WriteAsync(LoginCompleted("15.0 (dbtls bench)"));
        while (true)
        {
            var message = await c.ReadMessageAsync(ct);
            if (message.Type != (byte)'Q')
            {
                break;
            }

            await c.WriteAsync(SslViewRow("t", "TLSv1.3", "TLS_AES_256_GCM_SHA384", "256", null));
        }

        c.Close();
    }

    private static async Task AnswerWithGarbageAsync(HostileConnection c, CancellationToken ct)
    {
        await c.ExpectSslRequestAsync(ct);
        await c.WriteAsync("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray());
        c.Close();
    }

    private static async Task HoldAsync(TcpClient client, CancellationToken stopping)
    {
        using (client)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, stopping);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}

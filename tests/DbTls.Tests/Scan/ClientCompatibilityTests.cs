using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using DbTls.Scan;
using DbTls.Scan.Compatibility;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.Scan;

/// <summary>
/// "Who can still connect": the client's offer in <see cref="ClientTlsDefaults"/> is the real client's ClientHello,
/// and the scan's prediction equals what the real client then negotiates (pg_stat_ssl) or that it fails.
/// </summary>
[Trait("Category", "Integration")]
[Collection(Postgres18Collection.Name)]
public sealed class ClientCompatibilityTests(Postgres18Fixture pg)
{
    private const string Psql = "/usr/lib/postgresql/15/bin/psql";

    [Fact]
    public async Task The_libpq_offer_is_what_psql_15_sends()
    {
        var hello = await CapturePsqlHelloAsync();

        Assert.Equal(ClientTlsDefaults.Libpq.Suites, hello.Suites.Where(s => s != 0x00FF)); // 0x00FF: the renegotiation SCSV
        Assert.Equal(ClientTlsDefaults.Libpq.Groups, hello.Groups);
        Assert.Equal(ClientTlsDefaults.Libpq.Versions, hello.Versions);
    }

    [Fact]
    public async Task Against_default_postgresql_18_libpq_is_predicted_to_get_what_psql_gets()
    {
        await pg.Server.RestoreDefaultsAsync();

        var report = await ScanAsync();
        var psql = await PsqlAsync("select version || ' ' || cipher from pg_stat_ssl where pid = pg_backend_pid()");

        var libpq = Assert.Single(report.Clients, c => c.Client == "libpq");
        Assert.True(libpq.Connects);
        Assert.True(psql.Succeeded, psql.ToString());
        // pg_stat_ssl names TLS 1.3 suites by their IANA names and the version as TLSv1.3.
        Assert.Equal($"{libpq.Version} {libpq.Suite}", psql.Stdout.Trim());
    }

    [Fact]
    public async Task A_server_left_with_only_camellia_on_tls12_is_predicted_unreachable_for_libpq_and_psql_fails()
    {
        try
        {
            await pg.Server.ReloadAsync(new PostgresTlsSettings { MaxProtocolVersion = "TLSv1.2", Ciphers = "CAMELLIA256-SHA" });

            var report = await ScanAsync();
            var psql = await PsqlAsync("select 1");

            Assert.Equal(["TLS_RSA_WITH_CAMELLIA_256_CBC_SHA"], report.Versions.Single(v => v.Version == "TLSv1.2").Suites.Select(s => s.Name));
            var libpq = Assert.Single(report.Clients, c => c.Client == "libpq");
            Assert.False(libpq.Connects);
            Assert.NotNull(libpq.Reason);
            Assert.False(psql.Succeeded);
            Assert.Contains("SSL", psql.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await pg.Server.RestoreDefaultsAsync();
        }
    }

    [Fact]
    public async Task The_dotnet_offer_is_what_Npgsql_and_SqlClient_send()
    {
        // Npgsql after an SSLRequest answered 'S'; SqlClient with Encrypt=Strict (TDS 8.0: TLS from the first byte).
        var npgsql = await CaptureHelloAsync(answerSslRequest: true, async port =>
        {
            await using var connection = new Npgsql.NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=x;Password=x;SSL Mode=Require;Timeout=5");
            await connection.OpenAsync();
        });
        var sqlClient = await CaptureHelloAsync(answerSslRequest: false, async port =>
        {
            await using var connection = new Microsoft.Data.SqlClient.SqlConnection($"Server=tcp:127.0.0.1,{port};User ID=x;Password=x;Encrypt=Strict;TrustServerCertificate=False;Connect Timeout=5");
            await connection.OpenAsync();
        });

        foreach (var hello in new[] { npgsql, sqlClient })
        {
            var captured = $"suites {string.Join(", ", hello.Suites.Select(x => $"0x{x:X4}"))}; groups {string.Join(", ", hello.Groups)}; versions {string.Join(", ", hello.Versions.Select(x => $"0x{x:X4}"))}";
            Assert.True(ClientTlsDefaults.DotNet.Suites.SequenceEqual(hello.Suites.Where(s => s != 0x00FF)), captured);
            Assert.True(ClientTlsDefaults.DotNet.Groups.SequenceEqual(hello.Groups), captured);
            Assert.True(ClientTlsDefaults.DotNet.Versions.SequenceEqual(hello.Versions), captured);
        }
    }

    [Fact]
    public async Task Against_default_postgresql_18_Npgsql_is_predicted_to_get_what_it_gets()
    {
        await pg.Server.RestoreDefaultsAsync();

        var report = await ScanAsync();
        var dotnet = Assert.Single(report.Clients, c => c.Client == ClientTlsDefaults.DotNet.Client);
        await using var connection = new Npgsql.NpgsqlConnection($"Host=127.0.0.1;Port={pg.Server.Port};Username={PostgresUsers.Scram};Password={PostgresUsers.ScramPassword};Database={PostgresUsers.Database};SSL Mode=Require;Timeout=10;Pooling=false");
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select version || ' ' || cipher from pg_stat_ssl where pid = pg_backend_pid()", connection);

        Assert.True(dotnet.Connects);
        Assert.Equal($"{dotnet.Version} {dotnet.Suite}", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_server_left_with_only_camellia_on_tls12_is_predicted_unreachable_for_dotnet_and_Npgsql_fails()
    {
        try
        {
            await pg.Server.ReloadAsync(new PostgresTlsSettings { MaxProtocolVersion = "TLSv1.2", Ciphers = "CAMELLIA256-SHA" });

            var report = await ScanAsync();
            var dotnet = Assert.Single(report.Clients, c => c.Client == ClientTlsDefaults.DotNet.Client);
            await using var connection = new Npgsql.NpgsqlConnection($"Host=127.0.0.1;Port={pg.Server.Port};Username={PostgresUsers.Scram};Password={PostgresUsers.ScramPassword};Database={PostgresUsers.Database};SSL Mode=Require;Timeout=10;Pooling=false");
            var failure = await Record.ExceptionAsync(() => connection.OpenAsync());

            Assert.False(dotnet.Connects);
            Assert.NotNull(failure);
        }
        finally
        {
            await pg.Server.RestoreDefaultsAsync();
        }
    }

    /// <summary>A client run in process against a socket that (optionally) answers an SSLRequest with 'S' and keeps the ClientHello.</summary>
    private static async Task<Hello> CaptureHelloAsync(bool answerSslRequest, Func<int, Task> client)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var run = Task.Run(async () => await Record.ExceptionAsync(() => client(port)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var accepted = await listener.AcceptTcpClientAsync(timeout.Token);
        var stream = accepted.GetStream();
        if (answerSslRequest)
        {
            await stream.ReadExactlyAsync(new byte[8], timeout.Token);
            await stream.WriteAsync("S"u8.ToArray(), timeout.Token);
        }

        var header = new byte[5];
        await stream.ReadExactlyAsync(header, timeout.Token);
        var record = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(3))];
        await stream.ReadExactlyAsync(record, timeout.Token);
        accepted.Close();
        await run.WaitAsync(timeout.Token);
        return Parse(record);
    }

    private Task<ScanReport> ScanAsync() =>
        TlsScanner.ScanAsync("127.0.0.1", pg.Server.Port, new ScanOptions { Protocol = ScanProtocol.Postgres }, CancellationToken.None);

    private Task<ProcessResult> PsqlAsync(string sql) => ProcessRunner.RunAsync(new ProcessSpec(Psql,
        ["-X", "-tA", "-d", $"host=127.0.0.1 port={pg.Server.Port} user={PostgresUsers.Scram} dbname={PostgresUsers.Database} sslmode=require connect_timeout=10", "-c", sql])
    {
        ExtraEnvironment = new Dictionary<string, string> { ["PGPASSWORD"] = PostgresUsers.ScramPassword },
        Timeout = TimeSpan.FromSeconds(60),
    });

    private sealed record Hello(List<ushort> Suites, List<ushort> Groups, List<ushort> Versions);

    /// <summary>psql against a socket that answers its SSLRequest with 'S' and keeps the ClientHello that follows.</summary>
    private static Task<Hello> CapturePsqlHelloAsync() =>
        CaptureHelloAsync(answerSslRequest: true, port =>
            ProcessRunner.RunAsync(Psql, ["-X", "-d", $"host=127.0.0.1 port={port} user=x dbname=x sslmode=require connect_timeout=5", "-c", "select 1"], TimeSpan.FromSeconds(30)));

    /// <summary>The ClientHello's suites, supported_groups and supported_versions, read here independently of the scan's code.</summary>
    private static Hello Parse(byte[] handshake)
    {
        var body = handshake.AsSpan(4);
        var at = 2 + 32;
        at += 1 + body[at];
        var suitesLength = BinaryPrimitives.ReadUInt16BigEndian(body[at..]);
        var suites = U16s(body.Slice(at + 2, suitesLength));
        at += 2 + suitesLength;
        at += 1 + body[at];
        var extensions = body.Slice(at + 2, BinaryPrimitives.ReadUInt16BigEndian(body[at..]));
        List<ushort> groups = [], versions = [];
        while (extensions.Length > 0)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(extensions);
            var data = extensions.Slice(4, BinaryPrimitives.ReadUInt16BigEndian(extensions[2..]));
            if (type == 10)
            {
                groups = U16s(data[2..]);
            }
            else if (type == 43)
            {
                versions = U16s(data[1..]);
            }

            extensions = extensions[(4 + data.Length)..];
        }

        return new Hello(suites, groups, versions);
    }

    private static List<ushort> U16s(ReadOnlySpan<byte> bytes)
    {
        var values = new List<ushort>();
        for (var i = 0; i + 1 < bytes.Length; i += 2)
        {
            values.Add(BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]));
        }

        return values;
    }
}

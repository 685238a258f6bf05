using DbTls.Scan;
using DbTls.Scan.Compatibility;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Oracles.Pgjdbc;
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
        var npgsql = await ClientHelloCapture.CaptureAsync(answerSslRequest: true, async port =>
        {
            await using var connection = new Npgsql.NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=x;Password=x;SSL Mode=Require;Timeout=5");
            await connection.OpenAsync();
        });
        var sqlClient = await ClientHelloCapture.CaptureAsync(answerSslRequest: false, async port =>
        {
            await using var connection = new Microsoft.Data.SqlClient.SqlConnection($"Server=tcp:127.0.0.1,{port};User ID=x;Password=x;Encrypt=Strict;TrustServerCertificate=False;Connect Timeout=5");
            await connection.OpenAsync();
        });

        foreach (var hello in new[] { npgsql, sqlClient })
        {
            var captured = hello.ToString();
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

    [Fact]
    public async Task The_Java_offer_is_what_pgjdbc_sends()
    {
        var home = Directory.CreateTempSubdirectory("dbtls-java-hello-").FullName;
        try
        {
            var hello = await ClientHelloCapture.CaptureAsync(answerSslRequest: true, port =>
                PgjdbcOracle.RunAsync([$"jdbc:postgresql://127.0.0.1:{port}/x?user=x&password=x&sslmode=require&connectTimeout=5"], home));

            Assert.True(ClientTlsDefaults.Java.Suites.SequenceEqual(hello.Suites.Where(s => s != 0x00FF)), hello.ToString());
            Assert.True(ClientTlsDefaults.Java.Groups.SequenceEqual(hello.Groups), hello.ToString());
            Assert.True(ClientTlsDefaults.Java.Versions.SequenceEqual(hello.Versions), hello.ToString());
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Against_default_postgresql_18_Java_is_predicted_to_get_what_pgjdbc_gets()
    {
        await pg.Server.RestoreDefaultsAsync();

        var report = await ScanAsync();
        var pgjdbc = await PgjdbcAsync();

        var java = Assert.Single(report.Clients, c => c.Client == ClientTlsDefaults.Java.Client);
        Assert.True(java.Connects);
        Assert.True(pgjdbc.Connected, pgjdbc.ToString());
        // pg_stat_ssl's version and cipher of pgjdbc's own session.
        Assert.Equal($"{java.Version} {java.Suite}", pgjdbc.Detail);
    }

    [Fact]
    public async Task A_server_left_with_only_camellia_on_tls12_is_predicted_unreachable_for_Java_and_pgjdbc_fails()
    {
        try
        {
            await pg.Server.ReloadAsync(new PostgresTlsSettings { MaxProtocolVersion = "TLSv1.2", Ciphers = "CAMELLIA256-SHA" });

            var report = await ScanAsync();
            var pgjdbc = await PgjdbcAsync();

            Assert.False(Assert.Single(report.Clients, c => c.Client == ClientTlsDefaults.Java.Client).Connects);
            Assert.False(pgjdbc.Connected);
            Assert.Contains("SSL", pgjdbc.Detail, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await pg.Server.RestoreDefaultsAsync();
        }
    }

    private async Task<PgjdbcVerdict> PgjdbcAsync()
    {
        var home = Directory.CreateTempSubdirectory("dbtls-java-compat-").FullName;
        try
        {
            var url = $"jdbc:postgresql://127.0.0.1:{pg.Server.Port}/{PostgresUsers.Database}?user={PostgresUsers.Scram}&password={Uri.EscapeDataString(PostgresUsers.ScramPassword)}&sslmode=require&connectTimeout=10";
            return Assert.Single(await PgjdbcOracle.RunAsync([url], home));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private Task<ScanReport> ScanAsync() =>
        TlsScanner.ScanAsync("127.0.0.1", pg.Server.Port, new ScanOptions { Protocol = ScanProtocol.Postgres }, CancellationToken.None);

    private Task<ProcessResult> PsqlAsync(string sql) => ProcessRunner.RunAsync(new ProcessSpec(Psql,
        ["-X", "-tA", "-d", $"host=127.0.0.1 port={pg.Server.Port} user={PostgresUsers.Scram} dbname={PostgresUsers.Database} sslmode=require connect_timeout=10", "-c", sql])
    {
        ExtraEnvironment = new Dictionary<string, string> { ["PGPASSWORD"] = PostgresUsers.ScramPassword },
        Timeout = TimeSpan.FromSeconds(60),
    });

    /// <summary>psql against a socket that answers its SSLRequest with 'S' and keeps the ClientHello that follows.</summary>
    private static Task<ClientHello> CapturePsqlHelloAsync() =>
        ClientHelloCapture.CaptureAsync(answerSslRequest: true, port =>
            ProcessRunner.RunAsync(Psql, ["-X", "-d", $"host=127.0.0.1 port={port} user=x dbname=x sslmode=require connect_timeout=5", "-c", "select 1"], TimeSpan.FromSeconds(30)));
}

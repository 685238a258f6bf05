using System.Diagnostics;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Wire.Tds;

/// <summary>
/// FreeTDS's <c>tsql</c> (Debian package freetds-bin, FreeTDS 1.3 with GnuTLS) against the TDS test
/// server with each <c>encryption</c> setting of freetds.conf: it must log in and read the row,
/// and the server's record must show the encryption FreeTDS is documented to use.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FreeTdsFidelityTests(TdsTestCertificates certs) : IClassFixture<TdsTestCertificates>
{
    private static readonly TimeSpan TsqlTimeout = TimeSpan.FromSeconds(60);

    private sealed record TsqlResult(int ExitCode, string Output, string Error)
    {
        /// <summary>The tab-separated row of the dm_exec_connections query, when tsql printed one.</summary>
        public string? Row => Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("\tTSQL\t", StringComparison.Ordinal));

        public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
    }

    private static async Task<TsqlResult> RunTsqlAsync(TdsTestServer server, string encryption, string? password = null, string extraSettings = "")
    {
        var directory = Directory.CreateTempSubdirectory("dbtls-freetds-");
        try
        {
            var config = Path.Combine(directory.FullName, "freetds.conf");
            await File.WriteAllTextAsync(config, $"""
                [global]
                    tds version = 7.4
                [dbtls]
                    host = 127.0.0.1
                    port = {server.Port}
                    encryption = {encryption}
                {extraSettings}
                """);
            var start = new ProcessStartInfo("tsql")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "-S", "dbtls", "-U", server.Options.User, "-P", password ?? server.Options.Password })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["FREETDSCONF"] = config;
            start.Environment["HOME"] = directory.FullName; // no ~/.freetds.conf from the machine
            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start tsql (apt-get install freetds-bin)");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync($"{SqlClientFidelityTests.Query}\ngo\nexit\n");
            process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TsqlTimeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"tsql did not finish within {TsqlTimeout}");
            }

            return new TsqlResult(process.ExitCode, await output, await error);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static void AssertNoCredentialsInClear(TdsTestServer server, TdsConnectionRecord record)
    {
        Assert.False(record.RawContainsUtf16(server.Options.User), "the user name crossed the wire in clear");
        Assert.True(record.RawReceived.ToArray().AsSpan().IndexOf(Login7Password.Obfuscate(server.Options.Password)) < 0, "the LOGIN7 password crossed the wire in clear");
    }

    [Fact]
    public async Task Encryption_off_sends_everything_in_clear()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new() { Encryption = PreLoginEncryption.Off }));

        var result = await RunTsqlAsync(server, "off");

        Assert.True(result.Row == "FALSE\tTSQL\tSQL", result.ToString());
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.Equal(PreLoginEncryption.NotSupported, record.ClientPreLogin!.Encryption);
        Assert.Equal(TdsEncryptionOutcome.Unencrypted, record.Outcome);
        Assert.False(record.TlsHandshakeCompleted);
        Assert.True(record.RawContainsUtf16(server.Options.User));
    }

    [Fact]
    public async Task Encryption_request_against_server_off_encrypts_only_the_login()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new() { Encryption = PreLoginEncryption.Off }));

        var result = await RunTsqlAsync(server, "request");

        Assert.True(result.Row == "FALSE\tTSQL\tSQL", result.ToString());
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.Equal(PreLoginEncryption.Off, record.ClientPreLogin!.Encryption);
        Assert.Equal(TdsEncryptionOutcome.LoginOnly, record.Outcome);
        Assert.True(record.LoginViaTls);
        Assert.False(record.EncryptedAfterLogin);
        AssertNoCredentialsInClear(server, record);
        Assert.True(record.RawContainsUtf16(SqlClientFidelityTests.Query));

        // tsql sends nothing of its own: the only batch is the query.
        Assert.Equal(SqlClientFidelityTests.Query, Assert.Single(record.Batches).Trim());
    }

    [Fact]
    public async Task Encryption_request_against_forcing_server_encrypts_everything()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new() { Encryption = PreLoginEncryption.Required }));

        var result = await RunTsqlAsync(server, "request");

        Assert.True(result.Row == "TRUE\tTSQL\tSQL", result.ToString());
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.Equal(PreLoginEncryption.Required, record.EncryptionAnswer);
        Assert.Equal(TdsEncryptionOutcome.Full, record.Outcome);
        Assert.True(record.EncryptedAfterLogin);
        AssertNoCredentialsInClear(server, record);
        Assert.False(record.RawContainsUtf16(SqlClientFidelityTests.Query));
    }

    [Fact]
    public async Task Encryption_request_against_server_without_certificate_falls_back_to_clear()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new() { Encryption = PreLoginEncryption.NotSupported }));

        var result = await RunTsqlAsync(server, "request");

        Assert.True(result.Row == "FALSE\tTSQL\tSQL", result.ToString());
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.Equal(TdsEncryptionOutcome.Unencrypted, record.Outcome);
        Assert.True(record.RawContainsUtf16(server.Options.User));
    }

    [Fact]
    public async Task Encryption_require_encrypts_everything()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new() { Encryption = PreLoginEncryption.Off }));

        var result = await RunTsqlAsync(server, "require");

        Assert.True(result.Row == "TRUE\tTSQL\tSQL", result.ToString());
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.Equal(PreLoginEncryption.On, record.ClientPreLogin!.Encryption);
        Assert.Equal(PreLoginEncryption.On, record.EncryptionAnswer);
        Assert.Equal(TdsEncryptionOutcome.Full, record.Outcome);
        Assert.True(record.EncryptedAfterLogin);
        AssertNoCredentialsInClear(server, record);
        Assert.False(record.RawContainsUtf16(SqlClientFidelityTests.Query));
    }

    [Fact]
    public async Task Encryption_require_against_server_without_certificate_fails_before_login()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new() { Encryption = PreLoginEncryption.NotSupported }));

        var result = await RunTsqlAsync(server, "require");

        Assert.True(result.Row is null, result.ToString());
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.Equal(TdsEncryptionOutcome.Terminate, record.Outcome);
        Assert.DoesNotContain(record.Messages, m => m.Type == TdsPacketType.Login7);
        AssertNoCredentialsInClear(server, record);
    }

    [Fact]
    public async Task Encryption_off_against_forcing_server_connects_with_full_tls()
    {
        // Where the cTDS documentation says the connection fails, tsql sends ENCRYPT_NOT_SUP, hears ENCRYPT_REQ
        // and goes on with TLS; the test server accepts that as forcing SQL Servers do (TdsServerSession).
        await using var server = TdsTestServer.Start(certs.ServerOptions(new() { Encryption = PreLoginEncryption.Required }));

        var result = await RunTsqlAsync(server, "off");

        Assert.True(result.Row == "TRUE\tTSQL\tSQL", result.ToString());
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.Equal(PreLoginEncryption.NotSupported, record.ClientPreLogin!.Encryption);
        Assert.Equal(PreLoginEncryption.Required, record.EncryptionAnswer);
        Assert.True(record.TlsDespiteNotSupported);
        Assert.Equal(TdsEncryptionOutcome.Full, record.Outcome);
        Assert.True(record.TlsHandshakeCompleted);
        var login = Assert.Single(record.Messages, m => m.Type == TdsPacketType.Login7);
        Assert.True(login.ViaTls);
        Assert.True(record.EncryptedAfterLogin);
        AssertNoCredentialsInClear(server, record);
        Assert.False(record.RawContainsUtf16(SqlClientFidelityTests.Query));
    }

    [Fact]
    public async Task Ca_file_verification_accepts_the_test_chain()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions());

        var result = await RunTsqlAsync(server, "require", extraSettings: $"    ca file = {certs.RootPemPath}\n    check certificate hostname = no");

        Assert.True(result.Row == "TRUE\tTSQL\tSQL", result.ToString());
    }

    [Fact]
    public async Task Ca_file_verification_rejects_a_chain_from_another_root()
    {
        using var other = TdsTestCertificates.Create("localhost");
        await using var server = TdsTestServer.Start(certs.ServerOptions());

        var result = await RunTsqlAsync(server, "require", extraSettings: $"    ca file = {other.RootPemPath}\n    check certificate hostname = no");

        Assert.True(result.Row is null, result.ToString());
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.False(record.LoginSucceeded);
        AssertNoCredentialsInClear(server, record);
    }

    [Fact]
    public async Task Wrong_password_is_refused()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions());

        var result = await RunTsqlAsync(server, "require", password: "wrong-password");

        Assert.True(result.Row is null, result.ToString());
        Assert.Contains("18456", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls13_inside_prelogin_packets_breaks_freetds()
    {
        // Why the test server (like SQL Server) keeps TDS 7.x to TLS 1.2: FreeTDS 1.3 with GnuTLS sends its
        // TLS 1.3 Finished as a bare record while the server still expects the handshake in PRELOGIN packets.
        await using var server = TdsTestServer.Start(certs.ServerOptions(new() { WrappedTlsProtocols = System.Security.Authentication.SslProtocols.Tls13 }));

        var result = await RunTsqlAsync(server, "require");

        Assert.True(result.Row is null, result.ToString());
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.Contains("type 0x17 during the TLS handshake", record.Error, StringComparison.Ordinal);
        AssertNoCredentialsInClear(server, record);
    }
}

using DbTls.Tests.Servers.Tds;

namespace DbTls.Tests.Wire.Tds;

/// <summary>
/// SqlClient's certificate validation against the trusted roots (no pin, no TrustServerCertificate).
/// SqlClient takes its roots from the system store, which a test cannot change in its own process;
/// these cases run SqlClient in a child process whose OpenSSL trust store is only the test CA
/// (SSL_CERT_FILE, with SSL_CERT_DIR pointing at an empty directory).
/// </summary>
[Trait("Category", "Integration")]
public sealed class SqlClientTrustStoreTests
{
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(90);

    private static async Task<(int ExitCode, string Output, string Error)> RunSqlClientAsync(TdsTestCertificates certs, string connectionString)
    {
        var emptyDirectory = Path.Combine(certs.Directory, "no-system-roots");
        Directory.CreateDirectory(emptyDirectory);
        var environment = new Dictionary<string, string>
        {
            ["SSL_CERT_FILE"] = certs.RootPemPath,
            ["SSL_CERT_DIR"] = emptyDirectory,
        };
        return await Infrastructure.TestAssemblyEntryPoint.RunAsync(environment, ChildTimeout, SqlClientQueryChild.Command, connectionString, SqlClientFidelityTests.Query);
    }

    [Fact]
    public async Task Mandatory_trusts_a_chain_to_a_root_in_the_trust_store()
    {
        using var certs = TdsTestCertificates.Create("localhost");
        await using var server = TdsTestServer.Start(certs.ServerOptions());

        var (exitCode, output, error) = await RunSqlClientAsync(certs, SqlClientFidelityTests.ConnectionString(server, "Encrypt=Mandatory", host: "localhost"));

        Assert.True(exitCode == 0, error);
        Assert.Equal("TRUE\tTSQL\tSQL", output.Trim());
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.True(record.EncryptedAfterLogin);
        Assert.Equal("localhost", record.Sni);
    }

    [Fact]
    public async Task Mandatory_rejects_a_trusted_certificate_for_another_host_name()
    {
        using var certs = TdsTestCertificates.Create("sql.dbtls.test", includeLoopbackIp: false);
        await using var server = TdsTestServer.Start(certs.ServerOptions());

        var (exitCode, _, error) = await RunSqlClientAsync(certs, SqlClientFidelityTests.ConnectionString(server, "Encrypt=Mandatory"));

        Assert.Equal(1, exitCode);
        Assert.Contains("SqlException", error, StringComparison.Ordinal);
        Assert.Contains("Certificate name mismatch", error, StringComparison.Ordinal);
        Assert.DoesNotContain("chain validation", error, StringComparison.Ordinal);
        Assert.False(Assert.Single(await server.WaitForConnectionsAsync()).LoginSucceeded);
    }

    [Fact]
    public async Task Host_name_in_certificate_replaces_the_connection_host_in_validation()
    {
        using var certs = TdsTestCertificates.Create("sql.dbtls.test", includeLoopbackIp: false);
        await using var server = TdsTestServer.Start(certs.ServerOptions());

        var (exitCode, output, error) = await RunSqlClientAsync(certs, SqlClientFidelityTests.ConnectionString(server, "Encrypt=Mandatory;HostNameInCertificate=sql.dbtls.test"));

        Assert.True(exitCode == 0, error);
        Assert.Equal("TRUE\tTSQL\tSQL", output.Trim());
        var record = Assert.Single(await server.WaitForConnectionsAsync());

        // HostNameInCertificate changes what is validated, not what is sent: an IP literal gets no SNI.
        Assert.Null(record.Sni);
    }

    [Fact]
    public async Task Strict_trusts_a_chain_to_a_root_in_the_trust_store()
    {
        using var certs = TdsTestCertificates.Create("localhost");
        await using var server = TdsTestServer.Start(certs.ServerOptions(new() { Strict = TdsStrictMode.Required }));

        var (exitCode, output, error) = await RunSqlClientAsync(certs, SqlClientFidelityTests.ConnectionString(server, "Encrypt=Strict", host: "localhost"));

        Assert.True(exitCode == 0, error);
        Assert.Equal("TRUE\tTSQL\tSQL", output.Trim());
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.True(record.Strict);
        Assert.Equal("tds/8.0", record.Alpn);
    }
}

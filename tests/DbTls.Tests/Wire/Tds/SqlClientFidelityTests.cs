using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;
using Microsoft.Data.SqlClient;

namespace DbTls.Tests.Wire.Tds;

/// <summary>
/// Microsoft.Data.SqlClient, the reference client, against the TDS test server: every case must
/// connect, log in and read the server's own view of the connection, and the server's record of
/// the bytes must match what SqlClient is known to do.
/// </summary>
public sealed class SqlClientFidelityTests : IDisposable
{
    private const string Query = "SELECT encrypt_option, protocol_type, auth_scheme FROM sys.dm_exec_connections WHERE session_id = @@SPID";

    private readonly TdsTestCertificates _certs = new();

    public void Dispose() => _certs.Dispose();

    private static string ConnectionString(TdsTestServer server, string settings, string host = "127.0.0.1") =>
        $"Data Source={server.DataSource(host)};User ID={server.Options.User};Password={server.Options.Password};Pooling=false;Connect Timeout=15;ConnectRetryCount=0;{settings}";

    private static async Task<(string Encrypt, string Protocol, string Auth)> QueryConnectionAsync(string connectionString)
    {
        await using var connection = new SqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new SqlCommand(Query, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var row = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
        Assert.False(await reader.ReadAsync());
        return row;
    }

    [Fact]
    public async Task Optional_against_server_off_encrypts_only_the_login()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { Encryption = PreLoginEncryption.Off }));

        var row = await QueryConnectionAsync(ConnectionString(server, "Encrypt=Optional"));

        Assert.Equal(("FALSE", "TSQL", "SQL"), row);
        var record = Assert.Single(await server.WaitForConnectionsAsync());
        Assert.Null(record.Error);
        Assert.Equal(PreLoginEncryption.Off, record.ClientPreLogin!.Encryption);
        Assert.Equal(PreLoginEncryption.Off, record.EncryptionAnswer);
        Assert.Equal(TdsEncryptionOutcome.LoginOnly, record.Outcome);
        Assert.True(record.LoginViaTls);
        Assert.False(record.EncryptedAfterLogin);
        Assert.False(record.RawContainsUtf16(server.Options.User));
        Assert.True(record.RawContainsUtf16(Query));
    }
}

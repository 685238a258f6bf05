using System.Security.Authentication;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;
using Microsoft.Data.SqlClient;

namespace DbTls.Tests.Wire.Tds;

/// <summary>
/// Microsoft.Data.SqlClient, the reference client, against the TDS test server: each accepted case
/// must connect, log in and read the server's own view of the connection; each refused case must
/// fail the way SqlClient fails against SQL Server. The server's record of the raw bytes proves
/// whether LOGIN7 (and the query) crossed the wire in clear.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SqlClientFidelityTests(TdsTestCertificates certs) : IClassFixture<TdsTestCertificates>
{
    public const string Query = "SELECT encrypt_option, protocol_type, auth_scheme FROM sys.dm_exec_connections WHERE session_id = @@SPID";

    private readonly TdsTestCertificates _certs = certs;

    internal static string ConnectionString(TdsTestServer server, string settings, string host = "127.0.0.1") =>
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

    private static async Task<TdsConnectionRecord> SingleConnectionAsync(TdsTestServer server) =>
        Assert.Single(await server.WaitForConnectionsAsync());

    /// <summary>Neither the user name nor the obfuscated password appears anywhere in the raw bytes.</summary>
    private static void AssertNoCredentialsInClear(TdsTestServer server, TdsConnectionRecord record)
    {
        Assert.False(record.RawContainsUtf16(server.Options.User), "the user name crossed the wire in clear");
        var obfuscated = Login7Password.Obfuscate(server.Options.Password);
        Assert.True(record.RawReceived.ToArray().AsSpan().IndexOf(obfuscated) < 0, "the LOGIN7 password crossed the wire in clear");
    }

    [Fact]
    public async Task Optional_against_server_off_encrypts_only_the_login()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { Encryption = PreLoginEncryption.Off }));

        var row = await QueryConnectionAsync(ConnectionString(server, "Encrypt=Optional"));

        Assert.Equal(("FALSE", "TSQL", "SQL"), row);
        var record = await SingleConnectionAsync(server);
        Assert.Null(record.Error);
        Assert.Equal(PreLoginEncryption.Off, record.ClientPreLogin!.Encryption);
        Assert.Equal(PreLoginEncryption.Off, record.EncryptionAnswer);
        Assert.Equal(TdsEncryptionOutcome.LoginOnly, record.Outcome);
        Assert.Equal([TdsPacketType.PreLogin], record.HandshakePacketTypes);
        Assert.Equal(nameof(SslProtocols.Tls12), record.TlsProtocol);
        Assert.True(record.LoginViaTls);
        Assert.False(record.EncryptedAfterLogin);
        AssertNoCredentialsInClear(server, record);

        // After the login packet the session is in clear: the query is readable on the wire.
        Assert.True(record.RawContainsUtf16(Query));
        Assert.Equal([Query], record.Batches);
    }

    [Fact]
    public async Task Optional_against_server_without_certificate_sends_the_login_in_clear()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { Encryption = PreLoginEncryption.NotSupported }));

        var row = await QueryConnectionAsync(ConnectionString(server, "Encrypt=Optional"));

        Assert.Equal(("FALSE", "TSQL", "SQL"), row);
        var record = await SingleConnectionAsync(server);
        Assert.Equal(PreLoginEncryption.NotSupported, record.EncryptionAnswer);
        Assert.Equal(TdsEncryptionOutcome.Unencrypted, record.Outcome);
        Assert.False(record.TlsHandshakeCompleted);
        Assert.False(record.LoginViaTls);
        Assert.True(record.RawContainsUtf16(server.Options.User));
        Assert.True(record.RawReceived.ToArray().AsSpan().IndexOf(Login7Password.Obfuscate(server.Options.Password)) >= 0);
    }

    [Fact]
    public async Task Optional_when_the_server_omits_the_encryption_option_sends_the_login_in_clear()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { OmitEncryptionOption = true }));

        var row = await QueryConnectionAsync(ConnectionString(server, "Encrypt=Optional"));

        Assert.Equal("FALSE", row.Encrypt);
        var record = await SingleConnectionAsync(server);
        Assert.Null(record.EncryptionAnswer);
        Assert.Equal(TdsEncryptionOutcome.Unencrypted, record.Outcome);
        Assert.True(record.RawContainsUtf16(server.Options.User));
    }

    [Fact]
    public async Task Optional_against_forcing_server_with_trust_server_certificate_encrypts_everything()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { Encryption = PreLoginEncryption.Required }));

        var row = await QueryConnectionAsync(ConnectionString(server, "Encrypt=Optional;TrustServerCertificate=true"));

        Assert.Equal(("TRUE", "TSQL", "SQL"), row);
        var record = await SingleConnectionAsync(server);
        Assert.Equal(PreLoginEncryption.Off, record.ClientPreLogin!.Encryption);
        Assert.Equal(PreLoginEncryption.Required, record.EncryptionAnswer);
        Assert.Equal(TdsEncryptionOutcome.Full, record.Outcome);
        Assert.True(record.EncryptedAfterLogin);
        AssertNoCredentialsInClear(server, record);
        Assert.False(record.RawContainsUtf16(Query));
        Assert.Contains(record.Messages, m => m.Type == TdsPacketType.SqlBatch && m.ViaTls);
    }

    [Fact]
    public async Task Optional_against_forcing_server_validates_the_certificate()
    {
        // SqlClient validates when the server forces encryption (ENCRYPT_REQ) unless TrustServerCertificate is set.
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { Encryption = PreLoginEncryption.Required }));

        var error = await Assert.ThrowsAsync<SqlException>(() => QueryConnectionAsync(ConnectionString(server, "Encrypt=Optional")));

        Assert.Contains("Certificate failed chain validation", error.ToString(), StringComparison.Ordinal);
        var record = await SingleConnectionAsync(server);
        Assert.Equal(TdsEncryptionOutcome.Full, record.Outcome);
        Assert.False(record.LoginSucceeded);
        Assert.DoesNotContain(record.Messages, m => m.Type == TdsPacketType.Login7);
        AssertNoCredentialsInClear(server, record);
    }

    [Fact]
    public async Task Mandatory_with_trust_server_certificate_encrypts_everything()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { Encryption = PreLoginEncryption.Off }));

        var row = await QueryConnectionAsync(ConnectionString(server, "Encrypt=Mandatory;TrustServerCertificate=true"));

        Assert.Equal(("TRUE", "TSQL", "SQL"), row);
        var record = await SingleConnectionAsync(server);
        Assert.Equal(PreLoginEncryption.On, record.ClientPreLogin!.Encryption);
        Assert.Equal(PreLoginEncryption.On, record.EncryptionAnswer);
        Assert.Equal(TdsEncryptionOutcome.Full, record.Outcome);
        Assert.True(record.EncryptedAfterLogin);
        AssertNoCredentialsInClear(server, record);
        Assert.False(record.RawContainsUtf16(Query));
    }

    [Fact]
    public async Task Mandatory_without_trust_rejects_a_certificate_from_a_private_ca()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions());

        var error = await Assert.ThrowsAsync<SqlException>(() => QueryConnectionAsync(ConnectionString(server, "Encrypt=Mandatory")));

        Assert.Contains("Certificate failed chain validation", error.ToString(), StringComparison.Ordinal);
        var record = await SingleConnectionAsync(server);
        Assert.False(record.LoginSucceeded);
        AssertNoCredentialsInClear(server, record);
    }

    [Fact]
    public async Task Mandatory_with_pinned_server_certificate_connects()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions());

        var row = await QueryConnectionAsync(ConnectionString(server, $"Encrypt=Mandatory;ServerCertificate={_certs.LeafPemPath}"));

        Assert.Equal("TRUE", row.Encrypt);
        var record = await SingleConnectionAsync(server);
        Assert.True(record.EncryptedAfterLogin);
        AssertNoCredentialsInClear(server, record);
    }

    [Fact]
    public async Task Mandatory_with_a_different_pinned_certificate_is_rejected()
    {
        using var other = new TdsTestCertificates();
        await using var server = TdsTestServer.Start(_certs.ServerOptions());

        var error = await Assert.ThrowsAsync<SqlException>(() => QueryConnectionAsync(ConnectionString(server, $"Encrypt=Mandatory;ServerCertificate={other.LeafPemPath}")));

        Assert.Contains("does not match the certificate provided by the ServerCertificate option", error.ToString(), StringComparison.Ordinal);
        Assert.False((await SingleConnectionAsync(server)).LoginSucceeded);
    }

    [Fact]
    public async Task Mandatory_against_server_without_encryption_fails_before_login()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { Encryption = PreLoginEncryption.NotSupported }));

        var error = await Assert.ThrowsAsync<SqlException>(() => QueryConnectionAsync(ConnectionString(server, "Encrypt=Mandatory;TrustServerCertificate=true")));

        Assert.Contains("does not support encryption", error.Message, StringComparison.Ordinal);
        var record = await SingleConnectionAsync(server);
        Assert.Equal(PreLoginEncryption.NotSupported, record.EncryptionAnswer);
        Assert.Equal(TdsEncryptionOutcome.Terminate, record.Outcome);
        Assert.Equal([TdsPacketType.PreLogin], record.Messages.Select(m => m.Type));
        AssertNoCredentialsInClear(server, record);
    }

    [Fact]
    public async Task Wrong_password_gets_error_18456()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { Password = "something-else" }));
        var connectionString = $"Data Source={server.DataSource()};User ID={server.Options.User};Password=wrong-password;Pooling=false;Connect Timeout=15;ConnectRetryCount=0;Encrypt=Mandatory;TrustServerCertificate=true";

        var error = await Assert.ThrowsAsync<SqlException>(() => QueryConnectionAsync(connectionString));

        Assert.Equal(18456, error.Number);
        var record = await SingleConnectionAsync(server);
        Assert.False(record.LoginSucceeded);
        Assert.Equal("wrong-password", record.Login!.Password!.Reveal());
    }

    [Fact]
    public async Task Handshake_wrapped_in_tabular_result_packets_is_accepted()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { HandshakePacketType = TdsPacketType.TabularResult }));

        var row = await QueryConnectionAsync(ConnectionString(server, "Encrypt=Mandatory;TrustServerCertificate=true"));

        Assert.Equal("TRUE", row.Encrypt);
    }

    [Fact]
    public async Task Strict_with_pinned_certificate_starts_with_tls_and_alpn_tds_8()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { Strict = TdsStrictMode.Required }));

        var row = await QueryConnectionAsync(ConnectionString(server, $"Encrypt=Strict;ServerCertificate={_certs.LeafPemPath}", host: "localhost"));

        Assert.Equal(("TRUE", "TSQL", "SQL"), row);
        var record = await SingleConnectionAsync(server);
        Assert.True(record.Strict);
        Assert.Equal(TdsVersions.Tds8Alpn, record.Alpn);
        Assert.Equal("localhost", record.Sni);
        Assert.Equal(nameof(SslProtocols.Tls13), record.TlsProtocol);
        Assert.Equal(0x16, record.RawReceived.ToArray()[0]);

        // Inside TLS, SqlClient's PRELOGIN says ENCRYPT_NOT_SUP: encryption is already in place.
        Assert.Equal(PreLoginEncryption.NotSupported, record.ClientPreLogin!.Encryption);
        Assert.Equal(TdsVersions.V8_0, record.Login!.TdsVersion);
        Assert.All(record.Messages, m => Assert.True(m.ViaTls));
        AssertNoCredentialsInClear(server, record);
    }

    [Fact]
    public async Task Strict_ignores_trust_server_certificate()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions());

        var error = await Assert.ThrowsAsync<SqlException>(() => QueryConnectionAsync(ConnectionString(server, "Encrypt=Strict;TrustServerCertificate=true")));

        Assert.Contains("Certificate failed chain validation", error.ToString(), StringComparison.Ordinal);
        var record = await SingleConnectionAsync(server);
        Assert.True(record.Strict);
        Assert.False(record.LoginSucceeded);
    }

    [Fact]
    public async Task Strict_against_a_tds7_only_server_fails()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { Strict = TdsStrictMode.Disallowed }));

        await Assert.ThrowsAsync<SqlException>(() => QueryConnectionAsync(ConnectionString(server, $"Encrypt=Strict;ServerCertificate={_certs.LeafPemPath}")));

        var record = await SingleConnectionAsync(server);
        Assert.Equal(0x16, record.RawReceived.ToArray()[0]);
        Assert.False(record.TlsHandshakeCompleted);
    }

    [Fact]
    public async Task Mandatory_against_a_strict_only_server_fails()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { Strict = TdsStrictMode.Required }));

        await Assert.ThrowsAsync<SqlException>(() => QueryConnectionAsync(ConnectionString(server, "Encrypt=Mandatory;TrustServerCertificate=true")));

        var record = await SingleConnectionAsync(server);
        Assert.Equal((byte)TdsPacketType.PreLogin, record.RawReceived.ToArray()[0]);
        Assert.False(record.LoginSucceeded);
    }

    [Fact]
    public async Task Optional_meeting_an_encrypt_on_answer_sends_the_login_in_clear()
    {
        // Per MS-TDS, ENCRYPT_OFF answered by ENCRYPT_ON means full encryption (a server never answers so; it says
        // ENCRYPT_REQ). SqlClient only acts on ENCRYPT_OFF and ENCRYPT_REQ, so it sends LOGIN7 in clear.
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { EncryptionAnswerOverride = PreLoginEncryption.On }));

        await Assert.ThrowsAsync<SqlException>(() => QueryConnectionAsync(ConnectionString(server, "Encrypt=Optional")));

        var record = await SingleConnectionAsync(server);
        Assert.Equal(TdsEncryptionOutcome.Full, record.Outcome);
        Assert.False(record.TlsHandshakeCompleted);
        Assert.Contains("type 0x10 during the TLS handshake", record.Error, StringComparison.Ordinal);
        Assert.True(record.RawContainsUtf16(server.Options.User));
    }

    [Fact]
    public async Task Select_1_probe_is_answered()
    {
        await using var server = TdsTestServer.Start(_certs.ServerOptions());
        await using var connection = new SqlConnection(ConnectionString(server, "Encrypt=Mandatory;TrustServerCertificate=true"));
        await connection.OpenAsync();
        await using var command = new SqlCommand("select 1", connection);

        Assert.Equal(1, await command.ExecuteScalarAsync());
        await connection.CloseAsync();
        Assert.Equal(["select 1"], Assert.Single(await server.WaitForConnectionsAsync()).Batches);
    }

    [Fact]
    public async Task Tls13_inside_prelogin_packets_breaks_sqlclient()
    {
        // Why the test server (like SQL Server) keeps TDS 7.x to TLS 1.2: with TLS 1.3 the server's session
        // tickets arrive still wrapped in PRELOGIN packets after SqlClient has switched to bare records.
        await using var server = TdsTestServer.Start(_certs.ServerOptions(new() { WrappedTlsProtocols = SslProtocols.Tls13 }));

        await Assert.ThrowsAsync<SqlException>(() => QueryConnectionAsync(ConnectionString(server, "Encrypt=Mandatory;TrustServerCertificate=true")));

        var record = await SingleConnectionAsync(server);
        Assert.Equal(nameof(SslProtocols.Tls13), record.TlsProtocol);
    }
}

using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using DbTls.Auth;
using DbTls.Checks;
using DbTls.Dialects.Libpq;
using DbTls.Tests.Servers.Postgres;
using DbTls.Wire.Postgres;

namespace DbTls.Tests.Fuzz;

/// <summary>
/// Seeds for the PostgreSQL fuzz targets, recorded from the real PostgreSQL 15 server: what it sends
/// to dbtls during a plaintext SCRAM login, a refused role, the SSLRequest answers with TLS on and off,
/// its TLS 1.3 first flight, and one SCRAM exchange run with the fuzz target's fixed client nonce.
/// Each test also proves that dbtls' parsers accept the real server's bytes.
/// </summary>
[Trait("Category", "FuzzCorpus")]
[Collection(Postgres15Collection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresCorpusHarvestTests(Postgres15Fixture pg)
{
    /// <summary>Must equal PgScramTarget.ClientNonce in fuzz/DbTls.Fuzz, which replays this recording.</summary>
    private const string FuzzClientNonce = "dbtlsFuzzClientNonce0001";

    private static readonly LibpqEnvironment NoEnvironment = new(ImmutableDictionary<string, string>.Empty, Path.GetTempPath(), "root");

    [Fact]
    public async Task Plaintext_scram_login_recording_holds_every_startup_message()
    {
        await pg.Server.RestoreDefaultsAsync();
        var recording = await RecordCheckAsync($"user={PostgresUsers.Plain} password={PostgresUsers.PlainPassword} dbname=postgres sslmode=disable");

        var messages = FuzzCorpus.Split(recording, FuzzCorpus.PostgresLength);
        var types = new string([.. messages.Select(m => (char)m[0])]);
        // SASL, SASLContinue, SASLFinal, Ok, then ParameterStatus…, BackendKeyData, ReadyForQuery and the pg_stat_ssl answer.
        Assert.StartsWith("RRRRS", types, StringComparison.Ordinal);
        Assert.Contains("KZT", types, StringComparison.Ordinal);
        Assert.Contains('D', types);
        FuzzCorpus.Write("pg-backend", "pg15-scram-login", recording);
        // The same session from AuthenticationOk on: the shape of a trust or certificate login.
        var ok = messages.FindIndex(m => m[0] == 'R' && BinaryPrimitives.ReadInt32BigEndian(m.AsSpan(5)) == 0);
        FuzzCorpus.Write("pg-backend", "pg15-after-authentication-ok", [.. messages.Skip(ok).SelectMany(m => m)]);
    }

    [Fact]
    public async Task Refused_role_recording_is_one_error_response()
    {
        await pg.Server.RestoreDefaultsAsync();
        var recording = await RecordCheckAsync("user=dbtls_no_such_role password=x dbname=postgres sslmode=disable");

        var messages = FuzzCorpus.Split(recording, FuzzCorpus.PostgresLength);
        var error = Assert.Single(messages);
        var parsed = PostgresServerError.Parse(new BackendMessage(error[0], error[5..]));
        Assert.Equal("28000", parsed.SqlState);
        FuzzCorpus.Write("pg-backend", "pg15-no-hba-entry", recording);
    }

    [Fact]
    public async Task Ssl_request_recordings_give_the_answers_and_a_tls13_first_flight()
    {
        await pg.Server.RestoreDefaultsAsync();
        var encrypted = await RecordCheckAsync($"user={PostgresUsers.Scram} password={PostgresUsers.ScramPassword} dbname=postgres sslmode=require");
        Assert.Equal((byte)'S', encrypted[0]);
        Assert.Equal(0x16, encrypted[1]);
        FuzzCorpus.Write("pg-ssl-answer", "pg15-ssl-on", encrypted[..1]);
        FuzzCorpus.Write("tls-records", "pg15-openssl-tls13", encrypted[1..]);

        try
        {
            await pg.Server.ReloadAsync(new PostgresTlsSettings { Ssl = false });
            var refused = await RecordCheckAsync($"user={PostgresUsers.Plain} password={PostgresUsers.PlainPassword} dbname=postgres sslmode=prefer");
            Assert.Equal((byte)'N', refused[0]);
            FuzzCorpus.Write("pg-ssl-answer", "pg15-ssl-off", refused[..1]);
            // After 'N', libpq and dbtls go on in plaintext on the same connection: a whole startup follows.
            FuzzCorpus.Write("pg-ssl-answer", "pg15-ssl-off-then-login", refused);
        }
        finally
        {
            await pg.Server.RestoreDefaultsAsync();
        }
    }

    [Fact]
    public async Task Scram_exchange_with_the_fuzz_nonce_is_verified_against_the_real_server()
    {
        await pg.Server.RestoreDefaultsAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, pg.Server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(FrontendMessages.Startup([new("user", PostgresUsers.Plain), new("database", "postgres")]));
        Assert.Equal(10, AuthenticationCode(await ReadMessageAsync(stream)));

        using var scram = new ScramSha256Client(PostgresUsers.PlainPassword, ScramChannelBinding.NotSupported, null, FuzzClientNonce);
        await stream.WriteAsync(FrontendMessages.SaslInitialResponse(ScramSha256Client.MechanismName, scram.ClientFirstMessage()));
        var serverFirst = await ReadMessageAsync(stream);
        Assert.Equal(11, AuthenticationCode(serverFirst));
        await stream.WriteAsync(FrontendMessages.SaslResponse(scram.ClientFinalMessage(serverFirst.AsSpan(9))));
        var serverFinal = await ReadMessageAsync(stream);
        Assert.Equal(12, AuthenticationCode(serverFinal));
        scram.VerifyServerFinal(serverFinal.AsSpan(9));
        Assert.True(scram.ServerVerified);
        Assert.Equal(0, AuthenticationCode(await ReadMessageAsync(stream)));

        FuzzCorpus.Write("pg-scram", "pg15-scram-sha-256", FuzzCorpus.Joined(serverFirst[9..], serverFinal[9..]));
    }

    private async Task<byte[]> RecordCheckAsync(string conninfo)
    {
        await using var proxy = new RecordingProxy(pg.Server.Port);
        var spec = LibpqConnectionString.Parse($"host=127.0.0.1 port={proxy.Port} {conninfo}", NoEnvironment);
        _ = await PostgresCheck.RunAsync(spec, new CheckOptions { Timeout = TimeSpan.FromSeconds(20) }, CancellationToken.None);
        var recordings = await proxy.ServerBytesAsync();
        Assert.NotEmpty(recordings);
        Assert.NotEmpty(recordings[0]);
        return recordings[0];
    }

    private static int AuthenticationCode(byte[] message)
    {
        Assert.Equal((byte)'R', message[0]);
        return BinaryPrimitives.ReadInt32BigEndian(message.AsSpan(5));
    }

    /// <summary>One whole backend message (type, length, body) as it came.</summary>
    private static async Task<byte[]> ReadMessageAsync(NetworkStream stream)
    {
        var header = new byte[5];
        await stream.ReadExactlyAsync(header);
        var message = new byte[1 + BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1))];
        header.CopyTo(message, 0);
        await stream.ReadExactlyAsync(message.AsMemory(5));
        return message;
    }
}

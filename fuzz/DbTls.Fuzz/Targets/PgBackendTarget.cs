using DbTls.Dialects.Libpq;
using DbTls.Policy;
using DbTls.Wire.Postgres;

namespace DbTls.Fuzz.Targets;

/// <summary>
/// Backend messages from the startup packet to ReadyForQuery and the pg_stat_ssl query: message
/// framing and limits, the authentication loop (cleartext, md5, SASL mechanism list, unknown codes),
/// ErrorResponse/NoticeResponse, ParameterStatus, BackendKeyData, RowDescription and DataRow.
/// </summary>
internal sealed class PgBackendTarget : UnixSocketTarget
{
    public override string Name => "pg-backend";

    public override string Reaches => "PostgresLogin.RunAsync, BackendMessageReader, PayloadReader, PostgresServerError.Parse, PostgresSslView.ReadAsync";

    public override IReadOnlyList<byte[]> Dictionary { get; } = TargetHelpers.Ascii(
        "R", "E", "N", "S", "K", "Z", "T", "D", "C", "v", "SCRAM-SHA-256\0", "SCRAM-SHA-256-PLUS\0", "SFATAL\0", "C28P01\0", "Mmsg\0",
        "server_version\0", "I", "\0\0\0\0", "\0\0\0\x0a", "\0\0\0\x05", "\0\0\0\x03");

    protected override async Task RunClientAsync(System.Net.EndPoint endpoint)
    {
        var connection = await PostgresConnection.OpenAsync([endpoint], plaintextCredentialsAllowed: true, CancellationToken.None).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var request = new PostgresLoginRequest("fuzz", "fuzz", "dbtls-fuzz", new Secret("fuzz-password"), ChannelBindingMode.Prefer);
            var result = new PostgresLoginResult();
            await PostgresLogin.RunAsync(connection, request, result, CancellationToken.None).ConfigureAwait(false);
            if (result.Succeeded)
            {
                await PostgresSslView.ReadAsync(connection, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}

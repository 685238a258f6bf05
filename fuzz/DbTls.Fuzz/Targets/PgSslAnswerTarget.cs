using DbTls.Wire.Postgres;

namespace DbTls.Fuzz.Targets;

/// <summary>The server's answer to SSLRequest: 'S', 'N', an 'E' error before TLS, anything else, bytes injected after 'S'.</summary>
internal sealed class PgSslAnswerTarget : UnixSocketTarget
{
    public override string Name => "pg-ssl-answer";

    public override string Reaches => "PostgresConnection.RequestSslAsync (BackendMessageReader, ErrorResponse before TLS)";

    public override IReadOnlyList<byte[]> Dictionary { get; } = TargetHelpers.Ascii("S", "N", "E", "SFATAL\0", "C28000\0", "M", "\0\0");

    protected override async Task RunClientAsync(System.Net.EndPoint endpoint)
    {
        var connection = await PostgresConnection.OpenAsync([endpoint], plaintextCredentialsAllowed: false, CancellationToken.None).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await connection.RequestSslAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}

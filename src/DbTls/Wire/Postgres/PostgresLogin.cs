namespace DbTls.Wire.Postgres;

/// <summary>
/// StartupMessage and the authentication exchange as libpq runs it (fe-connect.c, fe-auth.c,
/// fe-auth-scram.c), up to ReadyForQuery.
/// </summary>
internal static class PostgresLogin
{
    /// <summary>
    /// Logs in and fills <paramref name="result"/> as it goes, so that the caller still knows how far
    /// the login got when it ends in an exception.
    /// </summary>
    public static async Task RunAsync(PostgresConnection connection, PostgresLoginRequest request, PostgresLoginResult result, CancellationToken cancellationToken)
    {
        var startup = new List<KeyValuePair<string, string>>
        {
            new("user", request.User),
            new("database", request.Database),
            new("application_name", request.ApplicationName),
            new("client_encoding", "UTF8"),
        };
        await connection.SendAsync(FrontendMessages.Startup(startup), cancellationToken).ConfigureAwait(false);

        using var exchange = new PostgresAuthenticationExchange(connection, request, result);
        if (!await exchange.RunAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await PostgresSessionStart.ReadUntilReadyAsync(connection, result, cancellationToken).ConfigureAwait(false);
        result.Succeeded = true;
    }
}

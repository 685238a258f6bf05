using DbTls.Diagnostics;

namespace DbTls.Wire.Postgres;

/// <summary>The server answered with an ErrorResponse. The message shows only sanitised server text.</summary>
internal sealed class PostgresServerErrorException : DbTlsException
{
    public PostgresServerErrorException(PostgresServerError error, bool beforeAuthenticationOk, string context)
        : base(error.FindingCode, $"{context}: {error.Describe()}")
    {
        Error = error;
        BeforeAuthenticationOk = beforeAuthenticationOk;
    }

    public PostgresServerError Error { get; }

    /// <summary>
    /// True when the error came while libpq is still in CONNECTION_AWAITING_RESPONSE (before
    /// AuthenticationOk): only then does libpq retry with the next encryption method (prefer/allow).
    /// </summary>
    public bool BeforeAuthenticationOk { get; }
}

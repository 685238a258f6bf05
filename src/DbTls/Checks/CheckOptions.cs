namespace DbTls.Checks;

/// <summary>Options of a check that are not part of the connection string.</summary>
public sealed record CheckOptions
{
    /// <summary>Overall time limit for connecting, negotiating and logging in; null uses the dialect's own (e.g. connect_timeout) or 30 s.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Told each phase the check enters, in words ("waiting for the answer to the SSLRequest", "during PRELOGIN",
    /// "no answer during the TLS handshake"): the same words a timeout names. The command line shows them on a terminal.
    /// </summary>
    public IProgress<string>? Phase { get; init; }
}

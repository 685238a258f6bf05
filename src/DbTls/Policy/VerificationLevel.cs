namespace DbTls.Policy;

/// <summary>How much of the server's certificate is verified.</summary>
public enum VerificationLevel
{
    /// <summary>Any certificate is accepted: encryption without authentication.</summary>
    None,

    /// <summary>The chain must lead to a trusted root (libpq <c>verify-ca</c>).</summary>
    Chain,

    /// <summary>The chain must be trusted and the host name must match under the dialect's rules (libpq <c>verify-full</c>).</summary>
    ChainAndHostName,
}

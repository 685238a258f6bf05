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

    /// <summary>
    /// The server's leaf certificate must be identical (DER bytes) to <see cref="TlsPolicy.PinnedCertificatePath"/>;
    /// chain trust and host name are not checked, but the validity dates of every certificate the server
    /// presents are (JDBC <c>encrypt=strict</c> with <c>serverCertificate</c>: ServerCertificateX509TrustManager).
    /// A pin file that cannot be read fails validation.
    /// </summary>
    PinnedCertificate,
}

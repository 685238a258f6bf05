namespace DbTls.Tests.Servers.Postgres;

/// <summary>The TLS settings of postgresql.conf a test can change by reload (all are SIGHUP-reloadable).</summary>
public sealed record PostgresTlsSettings
{
    public static PostgresTlsSettings Default { get; } = new();

    /// <summary><c>ssl</c>: when false the server answers 'N' to SSLRequest (and refuses direct TLS).</summary>
    public bool Ssl { get; init; } = true;

    /// <summary><c>ssl_min_protocol_version</c>: TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3.</summary>
    public string MinProtocolVersion { get; init; } = "TLSv1.2";

    /// <summary><c>ssl_max_protocol_version</c>; empty means the highest the server's OpenSSL knows.</summary>
    public string MaxProtocolVersion { get; init; } = "";

    /// <summary><c>ssl_ciphers</c> (TLS 1.2 and below); null keeps the server's default.</summary>
    public string? Ciphers { get; init; }
}

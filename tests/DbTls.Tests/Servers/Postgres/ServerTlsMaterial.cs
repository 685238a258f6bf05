namespace DbTls.Tests.Servers.Postgres;

/// <summary>
/// What the server presents and trusts: <c>ssl_cert_file</c> (the chain exactly as the server sends
/// it: leaf first, then any intermediates), <c>ssl_key_file</c>, and optionally <c>ssl_ca_file</c>
/// (CAs accepted for client certificates) and <c>ssl_crl_file</c>.
/// </summary>
/// <remarks>
/// OpenSSL completes a server chain that lacks intermediates from the <c>ssl_ca_file</c> store, so
/// that file must never hold the server's own intermediate, or a "missing intermediate" fixture
/// would be silently repaired.
/// </remarks>
public sealed record ServerTlsMaterial(string CertificateChainPem, string PrivateKeyPem)
{
    public string? CaPem { get; init; }

    public string? CrlPem { get; init; }
}

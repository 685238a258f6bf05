using System.Collections.Immutable;

namespace DbTls.Policy;

/// <summary>Which certificates of the chain must be checked against a CRL.</summary>
public enum RevocationScope
{
    /// <summary>Every certificate in the chain needs a CRL from its issuer (OpenSSL CRL_CHECK_ALL, as libpq sets).</summary>
    FullChain,

    /// <summary>Only the server's own certificate is checked (PyMongo's tlsCRLFile).</summary>
    LeafOnly,

    /// <summary>
    /// A certificate is checked when a CRL from its issuer was loaded; a certificate without one passes
    /// (GnuTLS with <c>gnutls_certificate_set_x509_crl_file</c>, as FreeTDS built with GnuTLS uses it).
    /// </summary>
    AvailableCrlsOnly,
}

/// <summary>
/// Revocation checking: offline from CRL files and directories (no network access), and OCSP for the
/// server's own certificate (<see cref="Ocsp"/>; this may ask a responder over HTTP).
/// </summary>
public sealed record RevocationPolicy
{
    public static RevocationPolicy None { get; } = new();

    public ImmutableArray<string> CrlFiles { get; init; } = [];

    public ImmutableArray<string> CrlDirectories { get; init; } = [];

    public RevocationScope Scope { get; init; } = RevocationScope.FullChain;

    /// <summary>Whether CRL checking is configured (CRL files or directories are given); says nothing about OCSP.</summary>
    public bool Enabled => !CrlFiles.IsDefaultOrEmpty || !CrlDirectories.IsDefaultOrEmpty;

    /// <summary>OCSP checking of the server certificate; off unless a dialect asks for it.</summary>
    public OcspPolicy Ocsp { get; init; } = OcspPolicy.Off;
}

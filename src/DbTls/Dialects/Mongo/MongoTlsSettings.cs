using DbTls.Policy;

namespace DbTls.Dialects.Mongo;

/// <summary>
/// The TLS options of a MongoDB connection after merging, with PyMongo's meaning: <c>tlsInsecure</c> has
/// already been expanded into the three options it stands for.
/// </summary>
public sealed record MongoTlsSettings
{
    public bool Enabled { get; init; }

    public string? CAFile { get; init; }

    public string? CertificateKeyFile { get; init; }

    public Secret? CertificateKeyFilePassword { get; init; }

    public string? CrlFile { get; init; }

    public bool AllowInvalidCertificates { get; init; }

    public bool AllowInvalidHostnames { get; init; }

    /// <summary>Whether tlsInsecure=true was given (it implies the two allow-invalid options and no OCSP endpoint check).</summary>
    public bool Insecure { get; init; }

    public bool DisableOcspEndpointCheck { get; init; }

    public bool DisableCertificateRevocationCheck { get; init; }

    /// <summary>
    /// The policy PyMongo's settings amount to. MongoDB has no in-protocol TLS negotiation: with tls on, TLS
    /// starts on the first byte; with it off, nothing is encrypted and no fallback exists. PyMongo builds its
    /// SSLContext with CERT_NONE when invalid certificates are allowed (which also switches off the host-name
    /// check), otherwise CERT_REQUIRED with check_hostname unless invalid host names are allowed; a CRL file
    /// sets VERIFY_CRL_CHECK_LEAF, so only the server's own certificate needs a CRL.
    /// </summary>
    public TlsPolicy ToPolicy()
    {
        if (!Enabled)
        {
            return new TlsPolicy { Encryption = EncryptionMode.Disabled, Verification = VerificationLevel.None };
        }

        var verification = AllowInvalidCertificates ? VerificationLevel.None
            : AllowInvalidHostnames ? VerificationLevel.Chain
            : VerificationLevel.ChainAndHostName;

        var revocation = RevocationPolicy.None;
        if (CrlFile is not null && !DisableCertificateRevocationCheck && verification != VerificationLevel.None)
        {
            revocation = new RevocationPolicy { CrlFiles = [CrlFile], Scope = RevocationScope.LeafOnly };
        }

        return new TlsPolicy
        {
            Encryption = EncryptionMode.TlsFirst,
            Verification = verification,
            Trust = CAFile is null ? TrustSource.System : new TrustSource.PemFile(CAFile),
            HostNameRules = HostNameRules.Rfc6125,
            Revocation = revocation,
            ClientCertificate = CertificateKeyFile is null ? null : new ClientCertificateSource(CertificateKeyFile, CertificateKeyFile, CertificateKeyFilePassword),
            ClientCertificateMode = ClientCertificateMode.Allowed,
        };
    }
}

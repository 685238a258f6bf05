using DbTls.Policy;

namespace DbTls.Dialects.Mongo;

/// <summary>
/// The TLS options of a MongoDB connection after merging, with PyMongo's meaning: <c>tlsInsecure</c> has
/// already been expanded into the three options it stands for.
/// </summary>
internal sealed record MongoTlsSettings
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
    /// <para>
    /// Revocation follows the MongoDB OCSP Support specification as PyMongo (with its <c>ocsp</c> extra) implements it:
    /// whenever the certificate is verified, OCSP is on with soft fail: the stapled response is checked (revoked or
    /// invalid ends the connection), a Must-Staple certificate without a staple ends it, and the certificate's
    /// responder is asked with a five-second timeout unless <c>tlsDisableOCSPEndpointCheck=true</c> (which keeps
    /// the staple check). <c>tlsDisableCertificateRevocationCheck=true</c> switches off OCSP and the CRL.
    /// <c>tlsInsecure</c> and <c>tlsAllowInvalidCertificates</c> verify nothing, so no OCSP either (PyMongo does not
    /// even request a staple with CERT_NONE). PyMongo cannot combine a CRL with OCSP ("tlsCRLFile cannot be used
    /// with PyOpenSSL"; its documentation: a CRL and OCSP cannot be used in the same handshake), so with
    /// <c>tlsCRLFile</c> the CRL decides and OCSP is off, as in PyMongo without the extra.
    /// </para>
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
        if (verification != VerificationLevel.None && !DisableCertificateRevocationCheck)
        {
            revocation = CrlFile is not null
                ? new RevocationPolicy { CrlFiles = [CrlFile], Scope = RevocationScope.LeafOnly }
                : new RevocationPolicy { Ocsp = OcspPolicy.SoftFail with { QueryResponder = !DisableOcspEndpointCheck } };
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

namespace DbTls.Diagnostics;

/// <summary>
/// Stable finding codes. They are part of the JSON contract (docs/finding-codes.md): never rename
/// one; add new ones instead.
/// </summary>
public static class FindingCodes
{
    // Certificate verification.
    public const string CertUntrusted = "cert.untrusted";
    public const string CertHostnameMismatch = "cert.hostname-mismatch";
    public const string CertExpired = "cert.expired";
    public const string CertNotYetValid = "cert.not-yet-valid";
    public const string CertRevoked = "cert.revoked";
    public const string CertRevocationUnknown = "cert.revocation-unknown";
    public const string CertRootFileMissing = "cert.root-file-missing";
    public const string CertWrongPurpose = "cert.wrong-purpose";
    public const string CertNoHostName = "cert.no-host-name";
    public const string CertExpiringSoon = "cert.expiring-soon";
    public const string CertNotVerified = "cert.not-verified";
    public const string ClientCertMissing = "cert.client-certificate-rejected";
    public const string ClientCertNotRequested = "cert.client-certificate-not-requested";
    public const string CertPinMismatch = "cert.pin-mismatch";
    public const string CertPinUnreadable = "cert.pin-unreadable";

    // TLS.
    public const string TlsProtocolVersion = "tls.protocol-version";
    public const string TlsHandshakeFailed = "tls.handshake-failed";
    public const string TlsWeakProtocol = "tls.weak-protocol";
    public const string TlsOpportunistic = "tls.opportunistic";
    public const string TlsNotUsed = "tls.not-used";
    public const string TlsOcspRevoked = "tls.ocsp-revoked";
    public const string TlsOcspUnknown = "tls.ocsp-unknown";
    public const string TlsOcspInvalid = "tls.ocsp-invalid";
    public const string TlsOcspMustStapleMissing = "tls.ocsp-must-staple-missing";
    public const string TlsOcspResponderUnreachable = "tls.ocsp-responder-unreachable";

    // Server behaviour.
    public const string ServerTlsUnsupported = "server.tls-unsupported";
    public const string ServerUnencryptedDataAfterSslResponse = "server.unencrypted-data-after-ssl-response";
    public const string ServerError = "server.error";
    public const string ServerProtocolViolation = "server.protocol-violation";
    public const string ServerClosed = "server.closed-connection";
    public const string ServerViewUnavailable = "server.view-unavailable";

    // Configuration.
    public const string ConfigInvalid = "config.invalid";
    public const string ConfigNote = "config.note";

    // Authentication.
    public const string AuthFailed = "auth.failed";
    public const string AuthSkipped = "auth.skipped";
    public const string AuthChannelBinding = "auth.channel-binding";

    // Network.
    public const string NetUnreachable = "net.unreachable";
    public const string NetTimeout = "net.timeout";

    public const string InternalError = "internal.error";

    // TDS (SQL Server) wire.
    public const string ServerPlaintextAfterTls = "server.plaintext-after-tls";
    // Added for the MongoDB dialect (append-only).
    public const string ConfigWarning = "config.warning";
    public const string AuthServerSignatureInvalid = "auth.server-signature-invalid";
    public const string AuthMechanismUnsupported = "auth.mechanism-unsupported";
    public const string ServerMessageTooLarge = "server.message-too-large";
    public const string DnsSrvLookupFailed = "net.srv-lookup-failed";
    public const string DnsSrvRecordInvalid = "net.srv-record-invalid";

    // Added for the SQL Server check (append-only).
    public const string TlsLoginOnly = "tls.login-only";
    public const string ServerEncryptionMismatch = "server.encryption-mismatch";
    // Added for the MongoDB check (append-only): TLS alerts the PyMongo troubleshooting guide names.
    public const string TlsNoSharedCipher = "tls.no-shared-cipher";
    public const string TlsInternalErrorAlert = "tls.internal-error-alert";
    // Added for OpenSSL chain building (append-only).
    public const string TlsChainEngineUnavailable = "tls.chain-engine-unavailable";
    // Added for dbtls explain (append-only): what a connection string's settings allow, judged offline.
    public const string LintCredentialsInClear = "lint.credentials-in-clear";
    public const string LintPlaintextFallback = "lint.plaintext-fallback";
    public const string LintUnverifiedEncryption = "lint.unverified-encryption";
    public const string LintLegacyTls = "lint.legacy-tls";
    public const string LintDeprecatedOption = "lint.deprecated-option";
    public const string LintIgnoredOption = "lint.ignored-option";
    public const string LintTrustFileMissing = "lint.trust-file-missing";
    public const string LintTrustFileUnreadable = "lint.trust-file-unreadable";
    public const string LintPinExpiring = "lint.pin-expiring";
    public const string LintPinExpired = "lint.pin-expired";
    // Added for the stricter-mode check (append-only): the full verification runs even when the policy does not demand it.
    public const string CertWouldFailVerification = "cert.would-fail-verification";
    // Added for dbtls scan (append-only): what a server accepts, not what one client setting gets.
    public const string ScanLegacyVersion = "scan.legacy-version";
    public const string ScanWeakCipher = "scan.weak-cipher";
    public const string ScanCbcCipher = "scan.cbc-cipher";
    public const string ScanNoForwardSecrecy = "scan.no-forward-secrecy";
    public const string ScanClientOrder = "scan.client-order";
    public const string ScanPlaintextAccepted = "scan.plaintext-accepted";
    public const string ScanCertExpired = "scan.cert-expired";
    public const string ScanCertExpiring = "scan.cert-expiring";
    public const string ScanCertSelfSigned = "scan.cert-self-signed";
    public const string ScanWeakKey = "scan.weak-key";
    public const string ScanNoTls = "scan.no-tls";
    public const string ScanInvalidAnswer = "scan.invalid-answer";
    public const string ScanNoAnswer = "scan.no-answer";
    public const string ScanProfileVersion = "scan.profile-version";
    public const string ScanProfileMissingVersion = "scan.profile-missing-version";
    public const string ScanProfileCipher = "scan.profile-cipher";
    public const string ScanProfileGroup = "scan.profile-group";
    public const string ScanProfileKey = "scan.profile-key";
    // Added for dbtls explain (append-only): verify-ca and its equivalents in every dialect that can say it.
    public const string LintHostnameNotVerified = "lint.hostname-not-verified";

    // node-postgres (pg-connection-string 2.x) reads libpq's sslmode names with its own meaning.
    public const string LintSslmodeAlias = "lint.sslmode-alias";

    // Added for explain and convert (append-only): an option written twice; a strict conversion that would lose protection.
    public const string LintRepeatedOption = "lint.repeated-option";
    public const string ConvertLossy = "convert.lossy";

    // Added for dbtls scan (append-only): a port where protocol detection found no database and no TLS server.
    public const string ScanProtocolUnknown = "scan.protocol-unknown";

    // Added for dbtls scan --signature-algorithms (append-only).
    public const string ScanWeakSignature = "scan.weak-signature";
}

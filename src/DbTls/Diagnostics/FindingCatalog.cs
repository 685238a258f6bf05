using System.Collections.Frozen;

namespace DbTls.Diagnostics;

/// <summary>Default severity and remedy for every finding code.</summary>
public static class FindingCatalog
{
    public sealed record Entry(string Code, Severity Severity, string Summary, string Remedy);

    private static readonly FrozenDictionary<string, Entry> Entries = new Entry[]
    {
        new(FindingCodes.CertUntrusted, Severity.Error, "The server's certificate chain does not lead to a trusted root.",
            "Give the root CA that issued the server certificate (libpq: sslrootcert=<file>), make sure the server sends its intermediate certificates, or use sslrootcert=system for publicly trusted servers."),
        new(FindingCodes.CertHostnameMismatch, Severity.Error, "The server's certificate is not valid for the host name that was used.",
            "Connect with a host name the certificate lists in its subjectAltName (or CN when it has no SAN of that type), or reissue the certificate with the right names."),
        new(FindingCodes.CertExpired, Severity.Error, "A certificate in the chain has expired.",
            "Renew the expired certificate on the server (and check the server's clock)."),
        new(FindingCodes.CertNotYetValid, Severity.Error, "A certificate in the chain is not valid yet.",
            "Check the clocks of client and server, or wait until the certificate's notBefore date."),
        new(FindingCodes.CertRevoked, Severity.Error, "A certificate in the chain has been revoked.",
            "Install a new, unrevoked certificate on the server."),
        new(FindingCodes.CertRevocationUnknown, Severity.Error, "The revocation status of a certificate could not be determined.",
            "Provide a current CRL from the certificate's issuer for every certificate that must be checked (libpq checks every certificate in the chain), or remove the CRL setting."),
        new(FindingCodes.CertRootFileMissing, Severity.Error, "The root certificate file that verification needs does not exist.",
            "Provide the file, use the system's trusted roots with sslrootcert=system, or choose an sslmode that does not verify the server certificate."),
        new(FindingCodes.CertWrongPurpose, Severity.Error, "The server certificate is not allowed for TLS server authentication (extended key usage).",
            "Reissue the server certificate with the serverAuth extended key usage."),
        new(FindingCodes.CertNoHostName, Severity.Error, "The server certificate names no host at all (no SAN and no CN).",
            "Reissue the certificate with subjectAltName entries for the names clients use."),
        new(FindingCodes.CertExpiringSoon, Severity.Warning, "A certificate in the chain expires within 30 days.",
            "Renew the certificate before it expires."),
        new(FindingCodes.CertNotVerified, Severity.Warning, "The connection is encrypted but the server certificate was not verified: anyone in the path can impersonate the server.",
            "Verify the server: libpq sslmode=verify-full with sslrootcert set to the issuing CA."),
        new(FindingCodes.CertPinMismatch, Severity.Error, "The server's certificate is not the pinned certificate (SqlClient ServerCertificate, JDBC serverCertificate).",
            "Pin the certificate the server really presents (export its leaf certificate to PEM), or find out why the server presents another one."),
        new(FindingCodes.CertPinUnreadable, Severity.Error, "The pinned certificate file cannot be read as a PEM or DER certificate.",
            "Point the pin setting at the server's leaf certificate as a PEM or DER file the client can read."),
        new(FindingCodes.ClientCertMissing, Severity.Error, "The server requires a client certificate and rejected the one sent (or none was sent).",
            "Configure a client certificate and key the server trusts (libpq: sslcert and sslkey)."),
        new(FindingCodes.ClientCertNotRequested, Severity.Error, "A client certificate was required, but the server did not ask for one.",
            "Check that the server is configured for certificate authentication, or set sslcertmode=allow."),
        new(FindingCodes.TlsProtocolVersion, Severity.Error, "Client and server have no TLS protocol version in common.",
            "Upgrade the server to TLS 1.2 or later, or widen the client's TLS version range (libpq ssl_min_protocol_version / ssl_max_protocol_version). A server that speaks only TLS 1.0/1.1 is refused unless legacy TLS is enabled explicitly (libpq ssl_min_protocol_version=TLSv1, FreeTDS enable tls v1 = yes, JDBC sslProtocol=TLSv1); that connection is then reported with tls.weak-protocol."),
        new(FindingCodes.TlsHandshakeFailed, Severity.Error, "The TLS handshake failed.",
            "Check that the port speaks TLS the way the dialect expects and that client and server share a protocol version and cipher suite. A server that speaks only TLS 1.0/1.1 needs an upgrade, or legacy TLS enabled explicitly (libpq ssl_min_protocol_version=TLSv1, FreeTDS enable tls v1 = yes, JDBC sslProtocol=TLSv1)."),
        new(FindingCodes.TlsWeakProtocol, Severity.Warning, "The connection uses a TLS version below 1.2.",
            "Enable TLS 1.2 or 1.3 on the server and raise the client's minimum version."),
        new(FindingCodes.TlsOpportunistic, Severity.Warning, "Encryption is opportunistic: an attacker can silently downgrade the connection to plaintext.",
            "Require encryption and verify the server: libpq sslmode=verify-full."),
        new(FindingCodes.TlsNotUsed, Severity.Warning, "The connection is not encrypted.",
            "Enable TLS on the server and require it on the client (libpq sslmode=verify-full)."),
        new(FindingCodes.TlsOcspRevoked, Severity.Error, "OCSP says the server's certificate has been revoked.",
            "Install a new, unrevoked certificate on the server. Drivers fail the same way (PyMongo: \"invalid status response\" or a revoked-certificate error); do not work around it by disabling revocation checks."),
        new(FindingCodes.TlsOcspInvalid, Severity.Error, "The server stapled an OCSP response that cannot be trusted (bad signature or signer, wrong certificate, expired or not yet valid).",
            "Fix OCSP stapling on the server so it staples a current response for its own certificate, signed by the issuing CA or its authorised responder (check the server's clock and its access to the responder). This is PyMongo's \"invalid status response\"; tlsDisableCertificateRevocationCheck=true only hides it."),
        new(FindingCodes.TlsOcspMustStapleMissing, Severity.Error, "The server's certificate is Must-Staple (TLS feature status_request) but the server stapled no OCSP response.",
            "Enable OCSP stapling on the server (MongoDB 4.4+ staples by default; check it can reach the responder named in its certificate), or reissue the certificate without the Must-Staple extension."),
        new(FindingCodes.TlsOcspUnknown, Severity.Warning, "The OCSP responder does not know the server's certificate (status unknown).",
            "Check that the certificate was issued by the CA whose responder is named in it; the responder may not have been told about the certificate yet."),
        new(FindingCodes.TlsOcspResponderUnreachable, Severity.Warning, "The OCSP responder named in the server's certificate gave no usable answer, so the certificate's revocation status is unconfirmed (soft fail, as the drivers do).",
            "Allow the client to reach the OCSP responder URL in the certificate (firewall, proxy), or have the server staple OCSP responses; tlsDisableOCSPEndpointCheck=true stops the request."),
        new(FindingCodes.ServerTlsUnsupported, Severity.Error, "The server refused to negotiate TLS.",
            "Enable TLS on the server (PostgreSQL: ssl=on with a certificate), or check that a proxy in front of it does not strip TLS."),
        new(FindingCodes.ServerUnencryptedDataAfterSslResponse, Severity.Error, "The server sent unencrypted bytes right after agreeing to TLS: a man-in-the-middle injection attempt (CVE-2021-23222) or a broken proxy.",
            "Treat the path to the server as compromised; find the device that injects data, and keep the connection from being used."),
        new(FindingCodes.ServerError, Severity.Error, "The server answered with an error.",
            "Read the server's message; it came before authentication and may not come from the real server."),
        new(FindingCodes.ServerProtocolViolation, Severity.Error, "The server sent bytes that do not follow the protocol.",
            "Check that the host and port belong to the expected database server and that no proxy rewrites the traffic."),
        new(FindingCodes.ServerClosed, Severity.Error, "The server closed the connection unexpectedly.",
            "Check the server log for the reason (pg_hba.conf rules, TLS configuration, connection limits)."),
        new(FindingCodes.ServerViewUnavailable, Severity.Warning, "The server's own view of the connection could not be read.",
            "Grant the user the privilege to read the server's connection view, or check the session with a privileged account."),
        new(FindingCodes.ConfigInvalid, Severity.Error, "The connection string or options are invalid.",
            "Correct the connection string as the message says."),
        new(FindingCodes.ConfigNote, Severity.Info, "A note on how the settings were interpreted.",
            "No action needed."),
        new(FindingCodes.AuthFailed, Severity.Error, "Authentication failed.",
            "Check the user name and password (or client certificate) and the server's pg_hba.conf entry for this connection."),
        new(FindingCodes.AuthSkipped, Severity.Info, "No password was available, so dbtls stopped after the TLS handshake.",
            "Give a password (in the connection string or PGPASSWORD) to log in and read the server's view of the session."),
        new(FindingCodes.AuthChannelBinding, Severity.Error, "Channel binding was required but could not be used.",
            "Use SCRAM-SHA-256 over TLS on the server, or set channel_binding=prefer."),
        new(FindingCodes.NetUnreachable, Severity.Error, "The server could not be reached.",
            "Check the host name, port, DNS and firewall, and that the server is running."),
        new(FindingCodes.NetTimeout, Severity.Error, "The server did not answer in time.",
            "Check that the port belongs to the database server, or raise the timeout (--timeout, connect_timeout)."),
        new(FindingCodes.InternalError, Severity.Error, "dbtls hit an unexpected error.",
            "Please report this with the command you ran (passwords are never printed)."),
        new(FindingCodes.ServerPlaintextAfterTls, Severity.Error, "After the TLS handshake the server sent bytes that are not TLS records (it dropped out of TLS, or a proxy did).",
            "Treat the path to the server as compromised or misconfigured: find the proxy or device that strips TLS, and check the server's encryption settings."),
        new(FindingCodes.ConfigWarning, Severity.Warning, "A setting was ignored or is questionable (unknown option, repeated option, invalid value).",
            "Correct or remove the setting as the message says; the driver would ignore it too."),
        new(FindingCodes.AuthServerSignatureInvalid, Severity.Error, "The server could not prove that it knows the password (SCRAM server signature missing or wrong): it may not be the real server.",
            "Treat the path to the server as compromised unless the server's credentials were changed; check the user's stored SCRAM credentials on the server."),
        new(FindingCodes.AuthMechanismUnsupported, Severity.Warning, "The authentication mechanism is not one dbtls can perform, so it stopped after the handshake.",
            "Use SCRAM-SHA-256 or SCRAM-SHA-1 to let dbtls log in, or check the login with the real driver."),
        new(FindingCodes.ServerMessageTooLarge, Severity.Error, "The server announced a message larger than the protocol allows.",
            "Check that the host and port belong to the expected database server; a proxy or another service may answer on that port."),
        new(FindingCodes.DnsSrvLookupFailed, Severity.Error, "The DNS SRV or TXT lookup for a mongodb+srv:// connection string failed.",
            "Check the host name after mongodb+srv:// and that DNS answers SRV records for _mongodb._tcp.<host>."),
        new(FindingCodes.DnsSrvRecordInvalid, Severity.Error, "A DNS SRV or TXT record for a mongodb+srv:// connection string breaks the rules drivers enforce.",
            "Fix the DNS records: SRV targets must lie in the same domain as the host, and at most one TXT record may exist, holding only authSource, replicaSet or loadBalanced."),
        new(FindingCodes.TlsLoginOnly, Severity.Warning, "Only the login was encrypted: everything after it (queries, results) travels in clear text.",
            "Make the client require encryption (SqlClient Encrypt=Mandatory or Strict, JDBC encrypt=true, FreeTDS encryption = require) or force encryption on the server."),
        new(FindingCodes.ServerEncryptionMismatch, Severity.Warning, "The server's own view of the session's encryption disagrees with what the client negotiated.",
            "Look for a device between client and server that terminates or strips TLS (a proxy, a load balancer), and check the server's encryption settings."),
        new(FindingCodes.TlsNoSharedCipher, Severity.Error, "The server ended the TLS handshake with a handshake_failure alert: client and server share no cipher suite (or no other handshake parameter).",
            "Enable TLS 1.2 or 1.3 cipher suites with forward secrecy on the server (MongoDB: upgrade to 4.2 or later; older servers offer only ciphers current TLS libraries refuse)."),
        new(FindingCodes.TlsInternalErrorAlert, Severity.Error, "The server ended the TLS handshake with an internal_error alert.",
            "Cloud services (MongoDB Atlas among them) answer this way when the client's IP address is not on the IP access list: add this machine's public address to the access list; otherwise read the server's log."),
        new(FindingCodes.TlsChainEngineUnavailable, Severity.Warning, "The driver verifies certificates with OpenSSL, but dbtls could not load OpenSSL's libcrypto, so .NET's chain engine decided instead.",
            "Install OpenSSL 3 (libcrypto.so.3; Debian: libssl3) so dbtls can decide the chain as the driver does; until then, a trust file with cross-signed or non-root certificates may be judged differently than by the driver."),
        // dbtls scan (append-only). The remedies are generic; the scan writes one in the server's own configuration language.
        new(FindingCodes.ScanLegacyVersion, Severity.Warning, "The server accepts SSLv3, TLS 1.0 or TLS 1.1, which RFC 8996 deprecates.",
            "Raise the server's minimum protocol version to TLS 1.2 (PostgreSQL: ssl_min_protocol_version = 'TLSv1.2'; SQL Server: disable TLS 1.0/1.1 in Schannel; mongod: net.tls.disabledProtocols: TLS1_0,TLS1_1)."),
        new(FindingCodes.ScanWeakCipher, Severity.Error, "The server accepts cipher suites that are broken or give no protection: RC4, 3DES, NULL, EXPORT or anonymous key exchange.",
            "Remove these suites from the server's cipher list (PostgreSQL: ssl_ciphers = 'HIGH:!aNULL:!3DES:!RC4:!eNULL:!EXPORT'; mongod: net.tls.tlsCipherConfig; SQL Server: the Schannel cipher suite order)."),
        new(FindingCodes.ScanCbcCipher, Severity.Info, "The server accepts CBC-mode cipher suites, the source of padding-oracle attacks such as Lucky Thirteen.",
            "Prefer AEAD suites (AES-GCM, ChaCha20-Poly1305) and drop CBC suites once every client supports TLS 1.2 with AEAD."),
        new(FindingCodes.ScanNoForwardSecrecy, Severity.Warning, "The server accepts cipher suites with static RSA key exchange: anyone who later obtains the server's private key can decrypt recorded sessions.",
            "Allow only ECDHE/DHE suites below TLS 1.3 (PostgreSQL: add !kRSA to ssl_ciphers; mongod: tlsCipherConfig; SQL Server: the Schannel cipher suite order)."),
        new(FindingCodes.ScanClientOrder, Severity.Info, "The server follows the client's order of cipher suites instead of its own preference.",
            "Let the server choose (PostgreSQL: ssl_prefer_server_ciphers = on; mongod and SQL Server follow their TLS library's setting)."),
        new(FindingCodes.ScanPlaintextAccepted, Severity.Warning, "The server lets clients in without TLS: it accepts unencrypted sessions (and, for password logins, clear-text credentials).",
            "Require TLS on the server (PostgreSQL: hostssl lines only, or ssl=on with hostnossl reject; SQL Server: Force Encryption; mongod: net.tls.mode: requireTLS)."),
        new(FindingCodes.ScanCertExpired, Severity.Error, "The certificate the server sends has expired; verifying clients refuse it.",
            "Install a renewed certificate on the server (PostgreSQL: ssl_cert_file, then SELECT pg_reload_conf())."),
        new(FindingCodes.ScanCertExpiring, Severity.Warning, "The certificate the server sends expires within 30 days.",
            "Renew the server certificate before it expires."),
        new(FindingCodes.ScanCertSelfSigned, Severity.Warning, "The server's certificate is self-signed: clients can only verify it if they pin this very certificate.",
            "Use a certificate issued by a CA the clients trust, or distribute this certificate to the clients as their trust anchor (libpq: sslrootcert)."),
        new(FindingCodes.ScanWeakKey, Severity.Warning, "The server's certificate key is too small (RSA or DSA below 2048 bits, EC below 256 bits).",
            "Reissue the certificate with an RSA key of at least 2048 bits or an ECDSA P-256 or larger key."),
        new(FindingCodes.ScanNoTls, Severity.Error, "The server accepted no TLS version the scan offered on this path.",
            "Enable TLS on the server (PostgreSQL: ssl = on with a certificate; SQL Server: install a certificate; mongod: net.tls.mode), or scan the path that carries TLS (--protocol)."),
        new(FindingCodes.ScanInvalidAnswer, Severity.Error, "The server answered a ClientHello with bytes that are not a valid TLS answer (garbage, truncated, oversized).",
            "Check that the port belongs to the database server and that nothing in between (proxy, load balancer) rewrites the connection."),
        new(FindingCodes.ScanNoAnswer, Severity.Error, "The server did not answer a ClientHello within the time limit.",
            "Check that the port belongs to the database server and that the protocol is right (--protocol); raise --timeout for slow links."),
    }.ToFrozenDictionary(e => e.Code, StringComparer.Ordinal);

    public static IEnumerable<Entry> All => Entries.Values.OrderBy(e => e.Code, StringComparer.Ordinal);

    public static Entry Get(string code) =>
        Entries.TryGetValue(code, out var entry) ? entry : throw new ArgumentException($"unknown finding code '{code}'", nameof(code));

    /// <summary>A finding with the catalogue's severity and, unless given, its default remedy.</summary>
    public static Finding Create(string code, string message, string? remedy = null, Severity? severity = null)
    {
        var entry = Get(code);
        return new Finding(code, severity ?? entry.Severity, message, remedy ?? entry.Remedy);
    }

    /// <summary>The exit code a failure with this code leads to.</summary>
    public static int ExitCodeFor(string code) =>
        code.StartsWith("config.", StringComparison.Ordinal) ? ExitCodes.InvalidInput
        : code.StartsWith("net.", StringComparison.Ordinal) ? ExitCodes.Network
        : ExitCodes.Rejected;
}

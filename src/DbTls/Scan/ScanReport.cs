using DbTls.Reports;

namespace DbTls.Scan;

/// <summary>What <c>dbtls scan</c> found; the JSON shape is documented in docs/scan-report.md.</summary>
public sealed class ScanReport
{
    /// <summary><c>host:port</c> as scanned.</summary>
    public string Target { get; set; } = "";

    /// <summary><c>postgres</c>, <c>postgres-direct</c>, <c>tds</c>, <c>tds-strict</c>, <c>mongodb</c> or <c>tls</c>.</summary>
    public string Protocol { get; set; } = "";

    /// <summary>Whether the protocol was detected rather than given.</summary>
    public bool ProtocolDetected { get; set; }

    public double ElapsedMs { get; set; }

    /// <summary>TCP connections the scan opened (probes and protocol facts).</summary>
    public int Connections { get; set; }

    /// <summary>SSLv3 to TLS 1.3, oldest first, each with what the server accepted.</summary>
    public List<ScanVersionReport> Versions { get; set; } = [];

    /// <summary>The chain as served in the TLS ≤ 1.2 handshake, leaf first; empty when the server speaks only TLS 1.3.</summary>
    public List<CertificateReport> Certificates { get; set; } = [];

    public ScanExtensionsReport? Extensions { get; set; }

    /// <summary>
    /// Chains of other key types the server also holds (an ECDSA certificate beside an RSA one), found with TLS 1.2
    /// suites that need them; empty for a server with one certificate.
    /// </summary>
    public List<ScanChainReport> OtherChains { get; set; } = [];

    /// <summary>
    /// Whether the server answered an SSLv2 CLIENT-HELLO with SERVER-HELLO; null when not asked (a server that accepts
    /// neither SSLv3 nor TLS 1.0 but something newer: every library that kept SSLv2 speaks those).
    /// </summary>
    public bool? Sslv2 { get; set; }

    public PostgresScanFacts? Postgres { get; set; }

    public TdsScanFacts? Tds { get; set; }

    public List<FindingReport> Findings { get; set; } = [];

    /// <summary>For each client dbtls knows, whether its default TLS settings would connect, and with what.</summary>
    public List<ScanClientReport> Clients { get; set; } = [];

    /// <summary>The profile graded against (--profile), or null.</summary>
    public ScanProfileReport? Profile { get; set; }

    /// <summary>0: nothing to warn about; 1: a warning or error finding (the CI gate); 3: the server could not be reached (docs/scan-report.md).</summary>
    public int ExitCode { get; set; }

    public MongoScanFacts? Mongo { get; set; }
}

public sealed class ScanVersionReport
{
    /// <summary><c>SSLv3</c>, <c>TLSv1.0</c>, <c>TLSv1.1</c>, <c>TLSv1.2</c>, <c>TLSv1.3</c>.</summary>
    public string Version { get; set; } = "";

    public bool Accepted { get; set; }

    /// <summary>The accepted suites, in the server's preference order when <see cref="Order"/> is <c>server</c>.</summary>
    public List<ScanSuite> Suites { get; set; } = [];

    /// <summary><c>server</c> (the server's preference wins), <c>client</c> (it follows the client's order), or null with fewer than two suites.</summary>
    public string? Order { get; set; }

    /// <summary>The key-exchange groups accepted with this version (TLS 1.3 groups; ECDHE curves for TLS 1.2).</summary>
    public List<string> Groups { get; set; } = [];

    /// <summary>
    /// The signature algorithms accepted with this version, by IANA name; null when not scanned (only with
    /// <c>--signature-algorithms</c>, and then for TLS 1.3 and the highest accepted version below it).
    /// </summary>
    public List<string>? SignatureAlgorithms { get; set; }

    /// <summary>True when the server accepted an unassigned signature algorithm, i.e. any offer; null when not scanned.</summary>
    public bool? AnySignatureAlgorithm { get; set; }

    /// <summary>How the server refused the version (alert, closed, ...), when it did.</summary>
    public string? Refusal { get; set; }
}

/// <summary>A certificate chain of one key type.</summary>
public sealed class ScanChainReport
{
    /// <summary><c>ECDSA</c>, <c>RSA</c> or <c>DSA</c>: the key type the suites that brought it need.</summary>
    public string KeyType { get; set; } = "";

    /// <summary>The chain as sent, leaf first.</summary>
    public List<CertificateReport> Certificates { get; set; } = [];
}

public sealed class ScanSuite
{
    /// <summary>The IANA code point, e.g. <c>0xC02F</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>The IANA name, e.g. <c>TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256</c>.</summary>
    public string Name { get; set; } = "";
}

public sealed class ScanExtensionsReport
{
    public bool SecureRenegotiation { get; set; }

    public bool ExtendedMasterSecret { get; set; }

    public bool Compression { get; set; }

    /// <summary>
    /// TLS_FALLBACK_SCSV (RFC 7507): true when the server refuses a client that signals a fallback (one version below
    /// the highest accepted), false when it accepts it; null when it cannot be told (nothing above TLS 1.0 accepted).
    /// </summary>
    public bool? FallbackScsv { get; set; }

    /// <summary>
    /// TLS ≤ 1.2 session resumption as the ServerHello offers it: <c>session-id</c> (the server keeps the session under
    /// the id it gave), <c>ticket</c> (it answered session_ticket); empty when it offers neither (PostgreSQL turns both off).
    /// </summary>
    public List<string> Resumption { get; set; } = [];

    /// <summary>Whether the server stapled an OCSP response (status_request) to the TLS ≤ 1.2 flight that carried the chain.</summary>
    public bool OcspStapled { get; set; }
}

public sealed class PostgresScanFacts
{
    /// <summary>The answer to an SSLRequest: <c>S</c>, <c>N</c>, <c>E</c>, a hex byte, or null when the server closed.</summary>
    public string? SslRequestAnswer { get; set; }

    /// <summary>Whether a startup without TLS got an authentication request (true), an error (false), or nothing (null).</summary>
    public bool? PlaintextStartupAccepted { get; set; }

    /// <summary>Whether a ClientHello as the first bytes with ALPN <c>postgresql</c> got a ServerHello (PostgreSQL 17+).</summary>
    public bool DirectTls { get; set; }

    /// <summary>Whether direct TLS refuses a ClientHello without ALPN <c>postgresql</c> (PostgreSQL 17+ does); null without direct TLS.</summary>
    public bool? DirectTlsAlpnEnforced { get; set; }

    /// <summary>The role the plaintext startup named (no password is ever sent).</summary>
    public string? PlaintextStartupUser { get; set; }

    /// <summary>The server's answer to that startup: the authentication it asked for, or its error (server text before TLS, cleaned and capped).</summary>
    public string? PlaintextStartupAnswer { get; set; }
}

public sealed class TdsScanFacts
{
    /// <summary>The server's PRELOGIN ENCRYPTION answer for each value a client can send (OFF, ON, NOT_SUP).</summary>
    public Dictionary<string, string> EncryptionAnswers { get; set; } = [];

    /// <summary>The VERSION option of the server's PRELOGIN answer.</summary>
    public string? ServerVersion { get; set; }

    /// <summary>Whether a ClientHello as the first bytes with ALPN <c>tds/8.0</c> got a ServerHello (TDS 8.0 strict).</summary>
    public bool Strict { get; set; }

    /// <summary>Force Encryption: a client asking OFF is answered REQ. Null when that PRELOGIN got no answer.</summary>
    public bool? ForcedEncryption { get; set; }

    /// <summary>A client asking OFF is answered OFF: only its login is encrypted, the session goes in clear text.</summary>
    public bool? LoginOnlyEncryption { get; set; }

    /// <summary>A client without encryption (NOT_SUP) is answered NOT_SUP: login and session in clear text.</summary>
    public bool? PlaintextAllowed { get; set; }

    /// <summary>The server's FEDAUTHREQUIRED answer byte (<c>0x00</c>, <c>0x01</c>) when asked; null when it sent none.</summary>
    public string? FedAuthRequired { get; set; }

    /// <summary>Whether the server's INSTOPT answer accepts the (empty) instance name the client sent.</summary>
    public bool? InstanceAccepted { get; set; }
}

public sealed class MongoScanFacts
{
    /// <summary>Whether a ClientHello as the first bytes got a ServerHello (MongoDB's TLS is implicit).</summary>
    public bool ImplicitTls { get; set; }

    /// <summary>Whether the same port answered a plaintext <c>hello</c> (net.tls.mode allowTLS/preferTLS/disabled); null when it did not answer in time.</summary>
    public bool? PlaintextHelloAnswered { get; set; }

    /// <summary>The maxWireVersion of that plaintext reply.</summary>
    public int? PlaintextMaxWireVersion { get; set; }
}

public sealed class ScanProfileReport
{
    /// <summary>The --profile name, e.g. <c>mozilla-intermediate</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>The guideline and the version of it that dbtls encodes.</summary>
    public string Guideline { get; set; } = "";

    /// <summary>Whether the server meets it: no <c>scan.profile-*</c> finding.</summary>
    public bool Met { get; set; }
}

public sealed class ScanClientReport
{
    /// <summary>The dialect name, e.g. <c>libpq</c>.</summary>
    public string Client { get; set; } = "";

    /// <summary>The client build and settings whose offer was captured.</summary>
    public string Environment { get; set; } = "";

    public bool Connects { get; set; }

    public string? Version { get; set; }

    public string? Suite { get; set; }

    public string? Group { get; set; }

    public string? Reason { get; set; }
}

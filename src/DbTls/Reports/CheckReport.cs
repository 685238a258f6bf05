namespace DbTls.Reports;

/// <summary>
/// The result of <c>dbtls check</c>. This is the JSON contract documented in docs/json-report.md:
/// property names are stable, null properties are omitted.
/// </summary>
public sealed class CheckReport
{
    /// <summary><c>ok</c> | <c>rejected</c> | <c>failed</c>.</summary>
    public string Verdict { get; set; } = Verdicts.Failed;

    public int ExitCode { get; set; }

    /// <summary>
    /// What the connection that was used really had, whatever the policy asked: <c>verified</c> | <c>encrypted</c> |
    /// <c>login-only</c> | <c>none</c> (see <see cref="ProtectionLevels"/>).
    /// </summary>
    public string Protection { get; set; } = ProtectionLevels.None;

    /// <summary>The verdict in one sentence (see <see cref="VerdictSummary"/>): e.g. "TLS succeeded; the login failed".</summary>
    public string Summary { get; set; } = VerdictSummary.Failed;

    public TargetReport Target { get; set; } = new();

    public PolicyReport? Policy { get; set; }

    public NegotiationReport Negotiation { get; set; } = new();

    public TlsReport? Tls { get; set; }

    public LoginReport? Login { get; set; }

    public ServerReport? Server { get; set; }

    public List<FindingReport> Findings { get; set; } = [];
}

/// <summary>How much of the connection TLS covered (<see cref="NegotiationReport.Scope"/>).</summary>
public static class NegotiationScopes
{
    public const string Full = "full";
    public const string LoginOnly = "login-only";
    public const string None = "none";
}

public static class Verdicts
{
    public const string Ok = "ok";
    public const string Rejected = "rejected";
    public const string Failed = "failed";
}

public sealed class TargetReport
{
    /// <summary><c>libpq</c>, <c>sqlclient</c>, <c>jdbc</c>, <c>freetds</c>, <c>mongodb</c>.</summary>
    public string Dialect { get; set; } = "";

    /// <summary>The connection string as given, with every secret replaced by <c>********</c>.</summary>
    public string ConnectionString { get; set; } = "";

    public string Host { get; set; } = "";

    public string? HostAddress { get; set; }

    public int Port { get; set; }

    public string? User { get; set; }

    public string? Database { get; set; }

    /// <summary>Where settings came from beyond the string itself (environment variables, default files).</summary>
    public List<string> Sources { get; set; } = [];
}

public sealed class PolicyReport
{
    /// <summary>The dialect's own words, e.g. <c>sslmode=verify-full</c>.</summary>
    public string Summary { get; set; } = "";

    /// <summary><c>disabled</c> | <c>opportunistic</c> | <c>required</c> | <c>tls-first</c>.</summary>
    public string Encryption { get; set; } = "";

    /// <summary><c>none</c> | <c>chain</c> | <c>chain-and-hostname</c>.</summary>
    public string Verification { get; set; } = "";

    public string Trust { get; set; } = "";

    public string HostNameRules { get; set; } = "";

    public string? MinProtocol { get; set; }

    public string? MaxProtocol { get; set; }

    public List<string> CrlFiles { get; set; } = [];

    public List<string> CrlDirectories { get; set; } = [];

    public string? ClientCertificate { get; set; }

    public bool Sni { get; set; }

    public List<string> Alpn { get; set; } = [];
}

public sealed class NegotiationReport
{
    /// <summary>How the connection that was finally used started: <c>sslrequest</c> | <c>direct</c> | <c>none</c> | <c>prelogin</c> (SQL Server PRELOGIN) | <c>strict</c> (TDS 8.0 TLS first) | <c>implicit</c> (MongoDB TLS on connect).</summary>
    public string Method { get; set; } = "none";

    /// <summary>Whether the final connection was encrypted.</summary>
    public bool Encrypted { get; set; }

    /// <summary>
    /// How much of the final connection TLS covered: <c>full</c>, <c>login-only</c> (SQL Server: only the
    /// LOGIN7 packet went through TLS) or <c>none</c>. Null for dialects where it is always all or nothing.
    /// </summary>
    public string? Scope { get; set; }

    /// <summary>SQL Server: the PRELOGIN ENCRYPTION value the client sent, e.g. <c>ON</c>, <c>OFF</c>, <c>NOT_SUP</c>.</summary>
    public string? EncryptionSent { get; set; }

    /// <summary>SQL Server: the PRELOGIN ENCRYPTION value the server answered (<c>OFF</c>, <c>ON</c>, <c>NOT_SUP</c>, <c>REQ</c>, <c>absent</c> or hex for others).</summary>
    public string? EncryptionReceived { get; set; }

    /// <summary>Every connection attempt in order, including fallbacks.</summary>
    public List<AttemptReport> Attempts { get; set; } = [];
}

public sealed class AttemptReport
{
    public string Method { get; set; } = "";

    /// <summary>The endpoint of this attempt (<c>host:port</c>) when a dialect tries several (MongoDB seed lists).</summary>
    public string? Endpoint { get; set; }

    /// <summary>What the server answered to the negotiation, e.g. <c>S</c>, <c>N</c>, <c>E</c>.</summary>
    public string? ServerAnswer { get; set; }

    /// <summary><c>ok</c> | <c>failed</c> | <c>fallback</c>.</summary>
    public string Outcome { get; set; } = "";

    public string? Detail { get; set; }
}

public sealed class TlsReport
{
    /// <summary><c>TLSv1.2</c>, <c>TLSv1.3</c>; null when the handshake did not complete.</summary>
    public string? Protocol { get; set; }

    /// <summary>IANA name, e.g. <c>TLS_AES_256_GCM_SHA384</c>.</summary>
    public string? CipherSuite { get; set; }

    public string? Alpn { get; set; }

    /// <summary>The server name sent in SNI; null when none was sent.</summary>
    public string? Sni { get; set; }

    public bool ClientCertificateSent { get; set; }

    public bool? ClientCertificateRequested { get; set; }

    /// <summary>The chain exactly as the server presented it, leaf first.</summary>
    public List<CertificateReport> Certificates { get; set; } = [];

    /// <summary>Every validation step with its outcome, even when validation failed.</summary>
    public List<ValidationStepReport> Validation { get; set; } = [];

    /// <summary>The OCSP status of the server certificate; null when the policy does not check OCSP.</summary>
    public OcspReport? Ocsp { get; set; }
}

public sealed class CertificateReport
{
    public string Subject { get; set; } = "";

    public string Issuer { get; set; } = "";

    public string SerialNumber { get; set; } = "";

    public List<string> DnsNames { get; set; } = [];

    public List<string> IpAddresses { get; set; } = [];

    public DateTimeOffset NotBefore { get; set; }

    public DateTimeOffset NotAfter { get; set; }

    /// <summary>e.g. <c>RSA 2048</c>, <c>ECDSA P-256</c>.</summary>
    public string Key { get; set; } = "";

    public string SignatureAlgorithm { get; set; } = "";

    public bool IsCertificateAuthority { get; set; }

    /// <summary>Upper-case hex SHA-256 of the DER encoding.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>The certificate as the server sent it (DER), for <c>--save-chain</c>; not part of the JSON report.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public byte[]? Der { get; set; }
}

public sealed class ValidationStepReport
{
    /// <summary>e.g. <c>chain</c>, <c>validity</c>, <c>purpose</c>, <c>revocation</c>, <c>hostname</c>, <c>ocsp</c>.</summary>
    public string Step { get; set; } = "";

    /// <summary><c>passed</c> | <c>failed</c> | <c>skipped</c>.</summary>
    public string Outcome { get; set; } = "";

    public string Detail { get; set; } = "";
}

public sealed class LoginReport
{
    public bool Attempted { get; set; }

    public bool Succeeded { get; set; }

    /// <summary>e.g. <c>scram-sha-256</c>, <c>scram-sha-256-plus</c>, <c>md5</c>, <c>password</c>, <c>trust</c>, <c>cert</c>.</summary>
    public string? Mechanism { get; set; }

    public bool ChannelBinding { get; set; }

    public string? Detail { get; set; }
}

/// <summary>What the server itself says about the session (PostgreSQL: pg_stat_ssl; SQL Server: sys.dm_exec_connections; MongoDB: connectionStatus).</summary>
public sealed class ServerReport
{
    public bool? Ssl { get; set; }

    public string? Version { get; set; }

    public string? Cipher { get; set; }

    public int? Bits { get; set; }

    public string? ClientDn { get; set; }

    public string? ServerVersion { get; set; }

    /// <summary>SQL Server <c>sys.dm_exec_connections.encrypt_option</c> (<c>TRUE</c> / <c>FALSE</c>).</summary>
    public string? EncryptOption { get; set; }

    /// <summary>SQL Server <c>sys.dm_exec_connections.protocol_type</c>, e.g. <c>TSQL</c>.</summary>
    public string? ProtocolType { get; set; }

    /// <summary>SQL Server <c>sys.dm_exec_connections.auth_scheme</c>, e.g. <c>SQL</c>.</summary>
    public string? AuthScheme { get; set; }

    /// <summary>MongoDB <c>connectionStatus</c>: the authenticated users as <c>user@db</c>.</summary>
    public List<string>? AuthenticatedUsers { get; set; }
}

public sealed class FindingReport
{
    /// <summary>A finding as the report carries it: severity as a lower-case word.</summary>
    public static FindingReport From(DbTls.Diagnostics.Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return new()
        {
            Code = finding.Code,
            Severity = SeverityName(finding.Severity),
            Message = finding.Message,
            Remedy = finding.Remedy,
        };
    }

    public static string SeverityName(DbTls.Diagnostics.Severity severity) => severity switch
    {
        DbTls.Diagnostics.Severity.Info => "info",
        DbTls.Diagnostics.Severity.Warning => "warning",
        DbTls.Diagnostics.Severity.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, null),
    };

    public string Code { get; set; } = "";

    /// <summary><c>info</c> | <c>warning</c> | <c>error</c>.</summary>
    public string Severity { get; set; } = "";

    public string Message { get; set; } = "";

    public string Remedy { get; set; } = "";
}

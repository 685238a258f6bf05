using DbTls.Reports;

namespace DbTls.Tests.Cli;

/// <summary>Reports built by hand, with every section filled, to test rendering independently of a live check.</summary>
internal static class SampleReports
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public const string LeafSha256 = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";
    public const string CaSha256 = "FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210";

    public static CheckReport Full() => new()
    {
        Verdict = Verdicts.Rejected,
        ExitCode = 1,
        Target = new TargetReport
        {
            Dialect = "libpq",
            ConnectionString = "host=db.example.com port=5433 dbname=app user=alice password=******** sslmode=verify-full sslrootcert=/etc/ssl/dbtls/root.crt",
            Host = "db.example.com",
            HostAddress = "192.0.2.10",
            Port = 5433,
            User = "alice",
            Database = "app",
            Sources = ["PGSSLMODE=verify-full", "sslrootcert: ~/.postgresql/root.crt (default file)"],
        },
        Policy = new PolicyReport
        {
            Summary = "sslmode=verify-full",
            Encryption = "required",
            Verification = "chain-and-hostname",
            Trust = "file /etc/ssl/dbtls/root.crt",
            HostNameRules = "libpq",
            MinProtocol = "TLSv1.2",
            CrlFiles = ["/etc/ssl/dbtls/root.crl"],
            Sni = true,
            Alpn = ["postgresql"],
        },
        Negotiation = new NegotiationReport
        {
            Method = "sslrequest",
            Encrypted = true,
            Attempts =
            [
                new AttemptReport { Method = "direct", Outcome = "fallback", Detail = "server closed the connection after ClientHello" },
                new AttemptReport { Method = "sslrequest", ServerAnswer = "S", Outcome = "ok" },
            ],
        },
        Tls = new TlsReport
        {
            Protocol = "TLSv1.3",
            CipherSuite = "TLS_AES_256_GCM_SHA384",
            Alpn = "postgresql",
            Sni = "db.example.com",
            ClientCertificateSent = false,
            ClientCertificateRequested = false,
            Certificates =
            [
                new CertificateReport
                {
                    Subject = "CN=db.internal.example.com, O=Example Corp",
                    Issuer = "CN=Example Intermediate CA, O=Example Corp",
                    SerialNumber = "1A2B3C4D",
                    DnsNames = ["db.internal.example.com", "*.replicas.example.com"],
                    IpAddresses = ["192.0.2.10", "2001:db8::10"],
                    NotBefore = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
                    NotAfter = new DateTimeOffset(2025, 6, 20, 0, 0, 0, TimeSpan.Zero),
                    Key = "ECDSA P-256",
                    SignatureAlgorithm = "sha256ECDSA",
                    IsCertificateAuthority = false,
                    Sha256 = LeafSha256,
                },
                new CertificateReport
                {
                    Subject = "CN=Example Intermediate CA, O=Example Corp",
                    Issuer = "CN=Example Root CA, O=Example Corp",
                    SerialNumber = "02",
                    NotBefore = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
                    NotAfter = new DateTimeOffset(2034, 1, 1, 0, 0, 0, TimeSpan.Zero),
                    Key = "RSA 3072",
                    SignatureAlgorithm = "sha384RSA",
                    IsCertificateAuthority = true,
                    Sha256 = CaSha256,
                },
            ],
            Validation =
            [
                new ValidationStepReport { Step = "chain", Outcome = "passed", Detail = "leads to CN=Example Root CA from /etc/ssl/dbtls/root.crt" },
                new ValidationStepReport { Step = "validity", Outcome = "passed", Detail = "all certificates are within their validity period" },
                new ValidationStepReport { Step = "revocation", Outcome = "skipped", Detail = "no CRL for CN=Example Intermediate CA" },
                new ValidationStepReport { Step = "hostname", Outcome = "failed", Detail = "db.example.com matches none of db.internal.example.com, *.replicas.example.com" },
            ],
        },
        Login = new LoginReport { Attempted = false, Detail = "not attempted: the certificate was rejected" },
        Server = new ServerReport { Ssl = true, Version = "TLSv1.3", Cipher = "TLS_AES_256_GCM_SHA384", Bits = 256, ClientDn = "CN=alice", ServerVersion = "18.1" },
        Findings =
        [
            new FindingReport { Code = "cert.expiring-soon", Severity = "warning", Message = "CN=db.internal.example.com expires on 2025-06-20.", Remedy = "Renew the certificate before it expires." },
            new FindingReport
            {
                Code = "cert.hostname-mismatch",
                Severity = "error",
                Message = "The certificate is not valid for db.example.com.",
                Remedy = "Connect with a host name the certificate lists in its subjectAltName (or CN when it has no SAN of that type), or reissue the certificate with the right names.",
            },
        ],
    };
}

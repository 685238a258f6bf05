using DbTls.Diagnostics;

namespace DbTls.Explain;

/// <summary>The lint remedies in the words of the dialect that was written; the catalogue's default names every driver.</summary>
internal static class LintRemedies
{
    private static readonly Dictionary<(string Dialect, string Code), string> Remedies = new()
    {
        [("libpq", FindingCodes.LintCredentialsInClear)] = "Use sslmode=verify-full with sslrootcert=<CA file> (or sslrootcert=system for a publicly trusted server).",
        [("libpq", FindingCodes.LintPlaintextFallback)] = "Use sslmode=verify-full (or at least sslmode=require) so a refusal ends the connection.",
        [("libpq", FindingCodes.LintUnverifiedEncryption)] = "Use sslmode=verify-full with sslrootcert=<CA file> (or sslrootcert=system).",
        [("libpq", FindingCodes.LintLegacyTls)] = "Remove ssl_min_protocol_version (libpq's default is TLSv1.2) and enable TLS 1.2 on the server.",
        [("sqlclient", FindingCodes.LintCredentialsInClear)] = "Use Encrypt=Mandatory (or Encrypt=Strict on SQL Server 2022 and later) with TrustServerCertificate=False.",
        [("sqlclient", FindingCodes.LintPlaintextFallback)] = "Use Encrypt=Mandatory (or Encrypt=Strict on SQL Server 2022 and later).",
        [("sqlclient", FindingCodes.LintUnverifiedEncryption)] = "Use Encrypt=Mandatory with TrustServerCertificate=False; for a self-signed server pin it with ServerCertificate=<file>.",
        [("jdbc", FindingCodes.LintCredentialsInClear)] = "Use encrypt=true (or encrypt=strict on SQL Server 2022 and later) with trustServerCertificate=false.",
        [("jdbc", FindingCodes.LintPlaintextFallback)] = "Use encrypt=true (or encrypt=strict on SQL Server 2022 and later).",
        [("jdbc", FindingCodes.LintUnverifiedEncryption)] = "Use encrypt=true with trustServerCertificate=false and trustStore=<PKCS#12 file>, or encrypt=strict with serverCertificate=<file>.",
        [("jdbc", FindingCodes.LintLegacyTls)] = "Remove sslProtocol (or set sslProtocol=TLSv1.2) and enable TLS 1.2 on the server.",
        [("freetds", FindingCodes.LintCredentialsInClear)] = "Set encryption = require (or strict) and ca file = <CA file> in the server's freetds.conf section.",
        [("freetds", FindingCodes.LintPlaintextFallback)] = "Use encryption = strict (TDS 8.0, SQL Server 2022 and later); encryption = require still accepts ENCRYPT_OFF and then encrypts only the login, so with it also force encryption on the server.",
        [("freetds", FindingCodes.LintUnverifiedEncryption)] = "Set ca file = <CA file> (or ca file = system) in the section: FreeTDS verifies the certificate only when a ca file is set.",
        [("freetds", FindingCodes.LintLegacyTls)] = "Remove enable tls v1 / enable tls v1.1 from freetds.conf and enable TLS 1.2 on the server.",
        [("mongodb", FindingCodes.LintCredentialsInClear)] = "Use tls=true (mongodb+srv:// turns it on by default).",
        [("mongodb", FindingCodes.LintUnverifiedEncryption)] = "Remove tlsInsecure and tlsAllowInvalidCertificates; give tlsCAFile=<CA file> when the server's CA is private.",
        [("npgsql", FindingCodes.LintCredentialsInClear)] = "Use SSL Mode=VerifyFull with Root Certificate=<CA file> (without Root Certificate the system trust store is used).",
        [("npgsql", FindingCodes.LintPlaintextFallback)] = "Use SSL Mode=VerifyFull (or at least SSL Mode=Require) so a refusal ends the connection.",
        [("npgsql", FindingCodes.LintUnverifiedEncryption)] = "Use SSL Mode=VerifyFull with Root Certificate=<CA file>: in Npgsql 8 and later Require never verifies, even with a root certificate.",
        [("pgjdbc", FindingCodes.LintCredentialsInClear)] = "Use sslmode=verify-full (or ssl=true, which means it) with sslrootcert=<CA file>.",
        [("pgjdbc", FindingCodes.LintPlaintextFallback)] = "Use sslmode=verify-full (or at least sslmode=require) so a refusal ends the connection.",
        [("pgjdbc", FindingCodes.LintUnverifiedEncryption)] = "Use sslmode=verify-full with sslrootcert=<CA file>: pgjdbc's require never verifies, even when ~/.postgresql/root.crt exists.",
        [("odbc", FindingCodes.LintCredentialsInClear)] = "Use Encrypt=yes (ODBC Driver 18's default) or Encrypt=strict on SQL Server 2022 and later, with TrustServerCertificate=no.",
        [("odbc", FindingCodes.LintPlaintextFallback)] = "Use Encrypt=yes (or Encrypt=strict on SQL Server 2022 and later).",
        [("odbc", FindingCodes.LintUnverifiedEncryption)] = "Use TrustServerCertificate=no and a server certificate the system store trusts; set HostNameInCertificate when the certificate names another host.",
        [("pymongo", FindingCodes.LintCredentialsInClear)] = "Use tls=true (in the URI or as a keyword argument).",
        [("pymongo", FindingCodes.LintUnverifiedEncryption)] = "Remove tlsInsecure and tlsAllowInvalidCertificates (URI and keyword arguments); give tlsCAFile=<CA file> when the server's CA is private.",
        [("libpq", FindingCodes.LintHostnameNotVerified)] = "Use sslmode=verify-full (the certificate must name the host you connect to).",
        [("npgsql", FindingCodes.LintHostnameNotVerified)] = "Use SSL Mode=VerifyFull (the certificate must name Host).",
        [("pgjdbc", FindingCodes.LintHostnameNotVerified)] = "Use sslmode=verify-full (or ssl=true without sslmode).",
        [("freetds", FindingCodes.LintHostnameNotVerified)] = "Remove check certificate hostname = no from the section (FreeTDS checks the host name by default).",
        [("mongodb", FindingCodes.LintHostnameNotVerified)] = "Remove tlsAllowInvalidHostnames=true.",
        [("pymongo", FindingCodes.LintHostnameNotVerified)] = "Remove tlsAllowInvalidHostnames (from the URI and the keyword arguments).",
    };

    /// <summary>The finding with its remedy in the dialect's words; parse findings go through the dialects' own remedies.</summary>
    public static Finding For(string dialect, Finding finding) =>
        Remedies.TryGetValue((dialect, finding.Code), out var remedy) ? finding with { Remedy = remedy } : Dialects.DialectRemedies.For(dialect, finding);
}

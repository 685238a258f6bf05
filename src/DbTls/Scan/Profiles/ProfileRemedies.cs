using DbTls.Scan.Probe;

namespace DbTls.Scan.Profiles;

/// <summary>What to change on the server to close a profile shortfall, in the server's own configuration language.</summary>
internal static class ProfileRemedies
{
    public static string Versions(ScanProtocol protocol, ScanProfile profile, IEnumerable<ushort> forbidden)
    {
        var minimum = TlsVersions.Name(profile.MinimumVersion);
        var keys = string.Join(" and ", forbidden.Select(v => $"HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\{SchannelName(v)}\\Server"));
        return protocol switch
        {
            ScanProtocol.Postgres or ScanProtocol.PostgresDirect =>
                $"postgresql.conf: ssl_min_protocol_version = '{minimum}' (and ssl_max_protocol_version = '' so TLS 1.3 stays on), then SELECT pg_reload_conf().",
            ScanProtocol.Tds or ScanProtocol.TdsStrict =>
                $"SQL Server takes its TLS versions from Windows Schannel: set Enabled=0 (DWORD) under {keys}, then restart"
                + (profile.MinimumVersion == TlsVersions.Tls13 ? "; TLS 1.3 needs SQL Server 2022 with Force Strict Encryption = Yes (TDS 8.0) in SQL Server Configuration Manager." : "."),
            ScanProtocol.Mongo =>
                $"mongod.conf: net.tls.disabledProtocols: {MongoDisabled(profile)} and restart mongod.",
            _ => $"Set the server's minimum TLS version to {minimum} (OpenSSL: MinProtocol = {minimum} in openssl.cnf's system_default section).",
        };
    }

    public static string MissingVersion(ScanProtocol protocol, ushort version) => protocol switch
    {
        ScanProtocol.Postgres or ScanProtocol.PostgresDirect =>
            $"postgresql.conf: ssl_max_protocol_version = '' (no cap) with a PostgreSQL built against OpenSSL 1.1.1 or later, so that {TlsVersions.Name(version)} is offered.",
        ScanProtocol.Tds or ScanProtocol.TdsStrict => version == TlsVersions.Tls13
            ? "TLS 1.3 with SQL Server needs SQL Server 2022 on Windows Server 2022 or later and Force Strict Encryption = Yes (TDS 8.0) in SQL Server Configuration Manager."
            : $"Enable {TlsVersions.Name(version)} in Schannel: HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\{SchannelName(version)}\\Server Enabled=1, DisabledByDefault=0.",
        ScanProtocol.Mongo => $"mongod.conf: remove {MongoName(version)} from net.tls.disabledProtocols (MongoDB 4.2+ with OpenSSL 1.1.1+ for TLS 1.3).",
        _ => $"Enable {TlsVersions.Name(version)} on the server (OpenSSL: MaxProtocol in openssl.cnf).",
    };

    public static string Suites(ScanProtocol protocol, ScanProfile profile) => protocol switch
    {
        ScanProtocol.Postgres or ScanProtocol.PostgresDirect =>
            $"postgresql.conf: ssl_ciphers = '{profile.OpenSslCiphers ?? "HIGH:!aNULL:!kRSA:!3DES:!CAMELLIA:!ARIA:!SEED:!PSK"}'"
            + (profile.OpenSslTls13Suites is { } tls13 ? $" and (PostgreSQL 18) ssl_tls13_ciphers = '{tls13}'" : "") + ", then SELECT pg_reload_conf().",
        ScanProtocol.Tds or ScanProtocol.TdsStrict =>
            "SQL Server uses the Schannel cipher suite order: set it with Group Policy (Computer Configuration > Administrative Templates > Network > "
            + "SSL Configuration Settings > SSL Cipher Suite Order) or PowerShell Disable-TlsCipherSuite -Name <suite> for each suite listed, then restart.",
        ScanProtocol.Mongo =>
            $"mongod.conf: setParameter: {{ opensslCipherConfig: '{profile.OpenSslCiphers ?? "HIGH:!aNULL:!kRSA:!3DES"}' }}"
            + (profile.OpenSslTls13Suites is { } suites ? $" and opensslCipherSuiteConfig: '{suites}'" : "") + " (net.tls.tlsCipherConfig on older releases), then restart mongod.",
        _ => $"Restrict the server's cipher list to the profile's (OpenSSL syntax: {profile.OpenSslCiphers ?? profile.OpenSslTls13Suites ?? "HIGH:!aNULL"}).",
    };

    public static string Groups(ScanProtocol protocol, ScanProfile profile) => protocol switch
    {
        ScanProtocol.Postgres or ScanProtocol.PostgresDirect =>
            $"postgresql.conf: ssl_groups = '{profile.OpenSslGroups}' (PostgreSQL 18; ssl_ecdh_curve = 'prime256v1' before 18, one curve only), then SELECT pg_reload_conf().",
        ScanProtocol.Tds or ScanProtocol.TdsStrict =>
            "Set the Schannel ECC curve order: Group Policy > Network > SSL Configuration Settings > ECC Curve Order, or PowerShell Disable-TlsEccCurve -Name <curve>, then restart.",
        ScanProtocol.Mongo =>
            $"mongod has no groups setting: set Groups = {profile.OpenSslGroups} in the system_default section of the openssl.cnf mongod loads, then restart mongod.",
        _ => $"Restrict the server's key-exchange groups to {profile.OpenSslGroups}.",
    };

    public static string Key(ScanProtocol protocol, ScanProfile profile) => protocol switch
    {
        ScanProtocol.Postgres or ScanProtocol.PostgresDirect => $"Issue a certificate with an RSA key of at least {profile.MinimumRsaBits} bits or an ECDSA P-256 key and point ssl_cert_file/ssl_key_file at it.",
        ScanProtocol.Tds or ScanProtocol.TdsStrict => $"Install a certificate with an RSA key of at least {profile.MinimumRsaBits} bits (or ECDSA P-256) and select it in SQL Server Configuration Manager (Protocols > Certificate), then restart.",
        ScanProtocol.Mongo => $"Issue a certificate with an RSA key of at least {profile.MinimumRsaBits} bits (or ECDSA P-256) for net.tls.certificateKeyFile, then restart mongod.",
        _ => $"Use a server certificate with an RSA key of at least {profile.MinimumRsaBits} bits or an ECDSA key.",
    };

    private static string MongoDisabled(ScanProfile profile) =>
        string.Join(",", new[] { TlsVersions.Tls10, TlsVersions.Tls11, TlsVersions.Tls12, TlsVersions.Tls13 }.Where(v => !profile.AllowedVersions.Contains(v)).Select(MongoName));

    private static string MongoName(ushort version) => version switch
    {
        TlsVersions.Tls10 => "TLS1_0",
        TlsVersions.Tls11 => "TLS1_1",
        TlsVersions.Tls12 => "TLS1_2",
        _ => "TLS1_3",
    };

    private static string SchannelName(ushort version) => version switch
    {
        TlsVersions.Ssl3 => "SSL 3.0",
        TlsVersions.Tls10 => "TLS 1.0",
        TlsVersions.Tls11 => "TLS 1.1",
        TlsVersions.Tls12 => "TLS 1.2",
        _ => "TLS 1.3",
    };
}

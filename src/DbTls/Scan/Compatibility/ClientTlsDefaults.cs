using DbTls.Scan.Probe;

namespace DbTls.Scan.Compatibility;

/// <summary>
/// What one client offers with its default TLS settings: versions, suites in its order, groups in its order.
/// Each list is the real client's ClientHello as captured by ClientTlsDefaultsTests (a listening socket takes the
/// client's first flight), not a list from documentation; the test fails when the client on this machine changes.
/// </summary>
internal sealed record ClientTlsDefaults(string Client, string Environment, ScanProtocol[] Paths, ushort[] Versions, ushort[] Suites, ushort[] Groups)
{
    /// <summary>libpq 15 (psql) on Debian 12 with OpenSSL 3.0: ssl_min_protocol_version defaults to TLSv1.2.</summary>
    public static readonly ClientTlsDefaults Libpq = new(
        "libpq",
        "libpq 15, Debian 12, OpenSSL 3.0 defaults (sslmode=require)",
        [ScanProtocol.Postgres, ScanProtocol.PostgresDirect, ScanProtocol.Tls],
        [TlsVersions.Tls13, TlsVersions.Tls12],
        [
            0x1302, 0x1303, 0x1301, 0xC02C, 0xC030, 0x009F, 0xCCA9, 0xCCA8, 0xCCAA, 0xC02B, 0xC02F, 0x009E, 0xC024, 0xC028, 0x006B,
            0xC023, 0xC027, 0x0067, 0xC00A, 0xC014, 0x0039, 0xC009, 0xC013, 0x0033, 0x009D, 0x009C, 0x003D, 0x003C, 0x0035, 0x002F,
        ],
        [29, 23, 30, 25, 24, 256, 257, 258, 259, 260]);

    /// <summary>
    /// .NET 10's SslStream on Debian 12 (OpenSSL 3.0), which Npgsql, Microsoft.Data.SqlClient and MongoDB.Driver all use
    /// with the system's defaults; captured from Npgsql (after an SSLRequest) and SqlClient (Encrypt=Strict).
    /// </summary>
    public static readonly ClientTlsDefaults DotNet = new(
        ".NET (Npgsql, SqlClient, MongoDB.Driver)",
        ".NET 10 SslStream, Debian 12, OpenSSL 3.0 defaults",
        [ScanProtocol.Postgres, ScanProtocol.Tds, ScanProtocol.TdsStrict, ScanProtocol.Mongo, ScanProtocol.Tls],
        // TLS 1.1 and 1.0 are offered in supported_versions, but none of these suites is usable with them.
        [TlsVersions.Tls13, TlsVersions.Tls12, TlsVersions.Tls11, TlsVersions.Tls10],
        [0x1302, 0x1303, 0x1301, 0xC02C, 0xC02B, 0xC030, 0xC02F, 0xC024, 0xC023, 0xC028, 0xC027],
        [29, 23, 30, 25, 24, 256, 257, 258, 259, 260]);

    public static IReadOnlyList<ClientTlsDefaults> All { get; } = [Libpq, DotNet];
}

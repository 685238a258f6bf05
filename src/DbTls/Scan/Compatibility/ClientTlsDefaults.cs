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

    /// <summary>
    /// PyMongo 3.11 (Debian python3-pymongo, Python 3.11's ssl on OpenSSL 3.0) with tls=true: the same suites and groups
    /// as libpq (the same OpenSSL defaults; captured separately). TLS 1.1 and 1.0 are offered in supported_versions, but
    /// OpenSSL's security level refuses the handshake they need ("legacy sigalg disallowed", measured), so they are left out.
    /// </summary>
    public static readonly ClientTlsDefaults PyMongo = new(
        "PyMongo",
        "PyMongo 3.11, Python 3.11, Debian 12, OpenSSL 3.0 defaults (tls=true)",
        [ScanProtocol.Mongo, ScanProtocol.Tls],
        [TlsVersions.Tls13, TlsVersions.Tls12],
        Libpq.Suites,
        Libpq.Groups);

    /// <summary>
    /// Java 17's JSSE defaults (Debian 12 default-jre-headless), captured from pgjdbc 42.5 after its SSLRequest. They are
    /// Java's, not the driver's: the Microsoft JDBC driver and the MongoDB Java driver use the same JSSE defaults.
    /// </summary>
    public static readonly ClientTlsDefaults Java = new(
        "Java (pgjdbc, mssql-jdbc)",
        "OpenJDK 17 JSSE defaults, Debian 12 (captured from pgjdbc 42.5, sslmode=require)",
        [ScanProtocol.Postgres, ScanProtocol.Tds, ScanProtocol.TdsStrict, ScanProtocol.Tls],
        [TlsVersions.Tls13, TlsVersions.Tls12],
        [
            0x1302, 0x1301, 0x1303, 0xC02C, 0xC02B, 0xCCA9, 0xC030, 0xCCA8, 0xC02F, 0x009F, 0xCCAA, 0x00A3, 0x009E, 0x00A2, 0xC024, 0xC028,
            0xC023, 0xC027, 0x006B, 0x006A, 0x0067, 0x0040, 0xC00A, 0xC014, 0xC009, 0xC013, 0x0039, 0x0038, 0x0033, 0x0032, 0x009D, 0x009C,
            0x003D, 0x003C, 0x0035, 0x002F,
        ],
        [29, 23, 24, 25, 30, 256, 257, 258, 259, 260]);

    /// <summary>
    /// FreeTDS 1.3.17's tsql (Debian 12 freetds-bin, linked to GnuTLS 3.7) with encryption = request, captured inside the
    /// PRELOGIN packets of TDS 7.x: GnuTLS's default priorities, TLS 1.0 to 1.3 (FreeTDS 1.3 leaves TLS 1.0 on unless
    /// "enable tls v1 = no"; 1.4 and later turn it off).
    /// </summary>
    public static readonly ClientTlsDefaults FreeTds = new(
        "FreeTDS (tsql)",
        "FreeTDS 1.3.17, Debian 12, GnuTLS 3.7 defaults (encryption = request)",
        [ScanProtocol.Tds, ScanProtocol.Tls],
        [TlsVersions.Tls13, TlsVersions.Tls12, TlsVersions.Tls11, TlsVersions.Tls10],
        [
            0x1302, 0x1303, 0x1301, 0x1304, 0xC02C, 0xCCA9, 0xC0AD, 0xC00A, 0xC02B, 0xC0AC, 0xC009, 0xC030, 0xCCA8, 0xC014, 0xC02F, 0xC013,
            0x009D, 0xC09D, 0x0035, 0x009C, 0xC09C, 0x002F, 0x009F, 0xCCAA, 0xC09F, 0x0039, 0x009E, 0xC09E, 0x0033,
        ],
        [23, 24, 25, 29, 30, 256, 257, 258, 259, 260]);

    public static IReadOnlyList<ClientTlsDefaults> All { get; } = [Libpq, DotNet, PyMongo, Java, FreeTds];
}

namespace DbTls.Policy;

/// <summary>
/// Whose rules build and judge the server's certificate chain: the TLS library the driver verifies with. Paths differ
/// between engines when trust material holds cross-signed certificates (which certificate is taken, whether the engine
/// backtracks to another path), so a dialect names its driver's engine.
/// </summary>
public enum ChainEngine
{
    /// <summary>.NET's X509Chain (SqlClient, MongoDB.Driver for C#): builds every path and prefers one to a trusted root.</summary>
    DotNet,

    /// <summary>
    /// OpenSSL's X509_verify_cert (libpq, FreeTDS built with OpenSSL): the trust file's first matching certificate wins
    /// (trusted first), no partial chains, no backtracking once a trusted certificate was taken. Decided by the system's libcrypto.
    /// </summary>
    OpenSsl,

    /// <summary>Java's PKIX CertPathBuilder (JDBC): backtracks across candidate paths. .NET's engine decides in its place.</summary>
    JavaPkix,

    /// <summary>GnuTLS (FreeTDS as Debian packages it): .NET's engine decides in its place.</summary>
    GnuTls,
}

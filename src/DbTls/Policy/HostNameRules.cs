namespace DbTls.Policy;

/// <summary>
/// Which driver's host-name matching rules apply. Drivers differ (libpq allows one-label <c>*.</c>
/// wildcards only and falls back to the CN when no SAN of the host's type exists; RFC 6125 never
/// falls back to the CN when any DNS SAN exists), so the rule set is part of the policy.
/// </summary>
public enum HostNameRules
{
    /// <summary>libpq (fe-secure-common.c / fe-secure-openssl.c).</summary>
    Libpq,

    /// <summary>RFC 6125 as .NET's SslStream applies it.</summary>
    Rfc6125,

    /// <summary>
    /// Microsoft.Data.SqlClient (managed SNI, the code path on Linux and macOS). Two checks, in this order:
    /// <list type="number">
    /// <item>SslStream's own platform check of the server name from <c>Data Source</c> (which SqlClient
    /// lower-cases), exactly as <c>SslStream.AuthenticateAsClient(targetHost)</c> reports
    /// <c>RemoteCertificateNameMismatch</c> (OpenSSL's X509_check_host rules on Linux, not MatchesHostname:
    /// <see cref="DbTls.Tls.HostNames.SslStreamHostNameCheck"/>). When it passes, <c>HostNameInCertificate</c>
    /// is not looked at.</item>
    /// <item>Only when step 1 reported a name mismatch: <c>X509Certificate2.MatchesHostname(name)</c> with
    /// <c>name</c> = <see cref="TlsPolicy.ExpectedHostName"/> (<c>HostNameInCertificate</c>) when set, else the
    /// Data Source host (RFC 6125 as .NET implements it: SAN dNSName/iPAddress entries, the subject CN only
    /// when the certificate has no SAN extension, <c>*</c> only as the whole left-most label).</item>
    /// </list>
    /// So a certificate valid for the Data Source host passes even when <c>HostNameInCertificate</c> names
    /// something else (SqlClient: SniCommon.ValidateSslServerCertificate; step 1 measured against SslStream in
    /// SqlClientSslStreamCrossCheckTests, the whole rule against real SqlClient in SqlClientHostNameCornerTests).
    /// </summary>
    SqlClient,

    /// <summary>
    /// Microsoft JDBC Driver for SQL Server 13.3.1 and later (SQLServerCertificateUtils.validateServerNameInCertificate),
    /// applied to <see cref="TlsPolicy.ExpectedHostName"/> (<c>hostNameInCertificate</c>) when set, else the
    /// <c>serverName</c>, both lower-cased (English locale):
    /// <list type="number">
    /// <item>The subject's first CN in DER order (the rightmost CN of its RFC 2253 string, as
    /// <c>LdapName.getRdns()</c> lists it), lower-cased, is tried first; when it matches, the SANs are not
    /// consulted even if the certificate has some.</item>
    /// <item>Otherwise every SAN dNSName (lower-cased) is tried, then iPAddress SANs by case-insensitive
    /// string equality of Java's textual form (IPv6 in Java's uncompressed form, e.g.
    /// <c>0:0:0:0:0:0:0:1</c>, so <c>::1</c> does not match).</item>
    /// <item>Exact comparison, except that a name containing <c>*</c> (and not starting with <c>xn--</c>) is
    /// a wildcard pattern: <c>*</c> matches any run of characters within the first label only (partial
    /// wildcards such as <c>db*.example.com</c> work) and the host must contain at least two dots, so
    /// <c>*.example.com</c> matches <c>db.example.com</c> but <c>*.com</c> never matches <c>example.com</c>.</item>
    /// </list>
    /// The chain itself is checked by the JSSE PKIX trust manager (trust anchor, validity dates of every
    /// certificate, serverAuth extended key usage); no revocation checking.
    /// </summary>
    Jdbc,

    /// <summary>
    /// FreeTDS built with OpenSSL (source builds, the wheels of cTDS and pymssql), tls.c check_hostname,
    /// run only when <c>ca file</c> is set and <c>check certificate hostname</c> is yes, against
    /// <see cref="TlsPolicy.ExpectedHostName"/> (<c>certificate hostname</c>, FreeTDS 1.5+) or else the
    /// <c>host</c> value exactly as written in freetds.conf:
    /// <list type="number">
    /// <item>When the name is an IPv4/IPv6 literal, only iPAddress SANs are compared (byte equality);
    /// otherwise only dNSName SANs.</item>
    /// <item>When no SAN matched (including when SANs exist but none matched), the LAST CN of the subject
    /// is compared as well: FreeTDS always falls back to the CN.</item>
    /// <item>A certificate name is compared case-insensitively and exactly: FreeTDS passes the
    /// certificate's name as the host and the wanted name as the pattern to its wildcard matcher, so a
    /// wildcard certificate (<c>*.example.com</c>) never matches a host name (FreeTDS 1.3.17 to 1.5.x and
    /// master as of 2026). Names with embedded NUL bytes never match.</item>
    /// </list>
    /// </summary>
    FreeTds,

    /// <summary>
    /// FreeTDS built with GnuTLS (Debian and Ubuntu packages, e.g. Debian's tsql 1.3.17):
    /// <c>gnutls_x509_crt_check_hostname</c> against the same name as <see cref="FreeTds"/>: RFC 6125 —
    /// dNSName SANs, the CN only when the certificate has no dNSName SAN, iPAddress SANs for IP literals,
    /// <c>*</c> only as the left-most label and only when the name has three or more labels.
    /// </summary>
    FreeTdsGnuTls,

    /// <summary>
    /// pgjdbc (PGjdbcHostnameVerifier, 42.x), run after the handshake only with sslmode=verify-full:
    /// <list type="number">
    /// <item>the host as written in the URL, brackets of an IPv6 literal removed, IDN-encoded (not lower-cased);</item>
    /// <item>every dNSName and iPAddress SAN in certificate order, by the same string comparison: iPAddress SANs in
    /// Java's text form (IPv6 uncompressed, <c>0:0:0:0:0:0:0:1</c>, so <c>[::1]</c> never matches), names
    /// case-insensitively, a pattern only when <c>*</c> is its first character and nowhere else, the pattern holds a
    /// dot, and the part the <c>*</c> stands for holds no dot (<c>*.com</c> matches <c>example.com</c>);</item>
    /// <item>only when the certificate has no dNSName SAN (iPAddress SANs do not count) the most specific CN (most
    /// dots, fewest <c>*</c>, longest) by the same rule.</item>
    /// </list>
    /// </summary>
    Pgjdbc,

    /// <summary>
    /// Node.js <c>tls.checkServerIdentity</c> (node-postgres), measured on Node 20: an IP host (strict dotted quad or
    /// IPv6, as <c>net.isIP</c>) against iPAddress SANs only, never the CN; any other host against dNSName SANs, the CN
    /// only when there is no dNSName SAN; ASCII case and one trailing dot ignored; one <c>*</c> in the first label of a
    /// pattern with at least three labels, partial (<c>f*.example.com</c>) allowed, never in an <c>xn--</c> label.
    /// </summary>
    NodeTls,
}

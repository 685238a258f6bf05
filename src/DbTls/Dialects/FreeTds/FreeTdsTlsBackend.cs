namespace DbTls.Dialects.FreeTds;

/// <summary>The TLS library a FreeTDS build uses; it decides the host-name rules and how a CRL file is applied.</summary>
internal enum FreeTdsTlsBackend
{
    /// <summary>OpenSSL: source builds and the wheels of cTDS and pymssql.</summary>
    OpenSsl,

    /// <summary>GnuTLS: the Debian and Ubuntu packages (<c>tsql -C</c> prints <c>GnuTLS: yes</c>).</summary>
    GnuTls,
}

namespace DbTls.Dialects.Tds;

/// <summary>The TDS protocol version a connection uses, as far as it matters for TLS.</summary>
internal enum TdsVersion
{
    /// <summary>
    /// TDS 7.4 (SQL Server 2012 and later): PRELOGIN in plaintext, then TLS inside TDS packets when the
    /// PRELOGIN ENCRYPTION option says so. TDS 7.1–7.3 negotiate encryption the same way.
    /// </summary>
    Tds74,

    /// <summary>TDS 8.0 "strict" (SQL Server 2022 and later): TLS on the first byte with ALPN <c>tds/8.0</c>, PRELOGIN inside TLS.</summary>
    Tds80,
}

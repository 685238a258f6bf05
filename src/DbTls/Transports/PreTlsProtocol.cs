namespace DbTls.Transports;

/// <summary>The ways a database connection reaches its TLS ClientHello.</summary>
internal enum PreTlsProtocol
{
    /// <summary>PostgreSQL: SSLRequest, then TLS after the server's 'S'.</summary>
    PostgresSslRequest,

    /// <summary>PostgreSQL 17+ direct TLS: the ClientHello first, offering ALPN <c>postgresql</c>.</summary>
    PostgresDirect,

    /// <summary>SQL Server TDS 7.x: PRELOGIN, then TLS records wrapped in PRELOGIN packets until the handshake ends.</summary>
    TdsPreLogin,

    /// <summary>SQL Server TDS 8.0 strict: the ClientHello first, offering ALPN <c>tds/8.0</c>.</summary>
    TdsStrict,

    /// <summary>MongoDB: the ClientHello first (implicit TLS).</summary>
    MongoImplicit,
}

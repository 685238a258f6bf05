namespace DbTls.Dialects.Jdbc;

/// <summary>The JDBC driver's <c>encrypt</c> property.</summary>
internal enum JdbcEncrypt
{
    /// <summary><c>false</c>, <c>no</c>, <c>optional</c>: PRELOGIN ENCRYPT_OFF.</summary>
    False,

    /// <summary><c>true</c>, <c>yes</c>, <c>mandatory</c> (the default since driver 10.2): PRELOGIN ENCRYPT_ON.</summary>
    True,

    /// <summary><c>strict</c> (driver 11.2 and later): TDS 8.0, TLS on the first byte.</summary>
    Strict,
}

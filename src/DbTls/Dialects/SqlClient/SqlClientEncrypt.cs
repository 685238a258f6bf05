namespace DbTls.Dialects.SqlClient;

/// <summary>SqlClient's <c>Encrypt</c> setting (SqlConnectionEncryptOption).</summary>
internal enum SqlClientEncrypt
{
    /// <summary><c>Optional</c>, <c>false</c>, <c>no</c>: PRELOGIN ENCRYPT_OFF.</summary>
    Optional,

    /// <summary><c>Mandatory</c>, <c>true</c>, <c>yes</c> (the default since SqlClient 4.0): PRELOGIN ENCRYPT_ON.</summary>
    Mandatory,

    /// <summary><c>Strict</c>: TDS 8.0, TLS on the first byte.</summary>
    Strict,
}

namespace DbTls.Wire.Postgres;

/// <summary>Numbers of the PostgreSQL frontend/backend protocol 3.0 that the client needs.</summary>
internal static class PostgresProtocol
{
    /// <summary>Protocol 3.0 (major 3 in the high 16 bits, minor 0).</summary>
    public const int Version30 = 3 << 16;

    /// <summary>The magic "protocol version" of an SSLRequest packet (1234.5679).</summary>
    public const int SslRequestCode = (1234 << 16) | 5679;

    /// <summary>The ALPN protocol identifier PostgreSQL 17+ requires for direct TLS.</summary>
    public const string Alpn = "postgresql";

    /// <summary>libpq refuses authentication requests outside 8..2000 bytes (fe-connect.c).</summary>
    public const int MaxAuthenticationMessageLength = 2000;

    /// <summary>libpq's MAX_ERRLEN: a larger ErrorResponse before login means it is not a 3.0 server.</summary>
    public const int MaxStartupErrorLength = 30000;

    /// <summary>libpq treats any message type outside the "long" ones above 30000 bytes as a loss of sync.</summary>
    public const int MaxOrdinaryMessageLength = 30000;

    /// <summary>Our own cap on rows, notices and errors after login: the one row we read is tiny.</summary>
    public const int MaxLongMessageLength = 1 << 20;

    /// <summary>Refuse absurd PBKDF2 work factors: a hostile server could otherwise pin a core for hours.</summary>
    public const int MaxScramIterations = 10_000_000;
}

/// <summary>Backend message type bytes.</summary>
internal static class BackendMessageType
{
    public const byte Authentication = (byte)'R';
    public const byte ErrorResponse = (byte)'E';
    public const byte NoticeResponse = (byte)'N';
    public const byte ParameterStatus = (byte)'S';
    public const byte BackendKeyData = (byte)'K';
    public const byte ReadyForQuery = (byte)'Z';
    public const byte RowDescription = (byte)'T';
    public const byte DataRow = (byte)'D';
    public const byte CommandComplete = (byte)'C';
    public const byte EmptyQueryResponse = (byte)'I';
    public const byte NegotiateProtocolVersion = (byte)'v';
    public const byte NotificationResponse = (byte)'A';
    public const byte CopyData = (byte)'d';
    public const byte FunctionCallResponse = (byte)'V';

    /// <summary>Types libpq allows to exceed 30000 bytes (VALID_LONG_MESSAGE_TYPE in fe-protocol3.c).</summary>
    public static bool IsLong(byte type) =>
        type is CopyData or DataRow or ErrorResponse or FunctionCallResponse or NoticeResponse or NotificationResponse or RowDescription;

    /// <summary>A printable name for messages and findings.</summary>
    public static string Describe(byte type) =>
        type is >= 0x21 and <= 0x7E ? $"'{(char)type}'" : $"0x{type:X2}";
}

/// <summary>Authentication request codes carried in an 'R' message.</summary>
internal enum AuthenticationRequest
{
    Ok = 0,
    KerberosV5 = 2,
    CleartextPassword = 3,
    Md5Password = 5,
    ScmCredential = 6,
    Gss = 7,
    GssContinue = 8,
    Sspi = 9,
    Sasl = 10,
    SaslContinue = 11,
    SaslFinal = 12,
}

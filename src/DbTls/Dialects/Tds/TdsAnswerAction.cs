namespace DbTls.Dialects.Tds;

/// <summary>What a driver does after the server's PRELOGIN ENCRYPTION answer.</summary>
internal enum TdsAnswerAction
{
    /// <summary>No TLS at all: the login (with the password) and all data go in plaintext.</summary>
    Plaintext,

    /// <summary>TLS for the LOGIN7 packet only, then plaintext for everything after it.</summary>
    LoginOnly,

    /// <summary>TLS for the login and the rest of the connection.</summary>
    Encrypt,

    /// <summary>The driver closes the connection with an error.</summary>
    Fail,
}

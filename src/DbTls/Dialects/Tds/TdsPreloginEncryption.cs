namespace DbTls.Dialects.Tds;

/// <summary>Values of the PRELOGIN ENCRYPTION option (MS-TDS 2.2.6.5).</summary>
internal enum TdsPreloginEncryption : byte
{
    /// <summary>ENCRYPT_OFF: encryption is available but off (a server answering it encrypts the login only).</summary>
    Off = 0x00,

    /// <summary>ENCRYPT_ON: encryption is available and on.</summary>
    On = 0x01,

    /// <summary>ENCRYPT_NOT_SUP: encryption is not available.</summary>
    NotSupported = 0x02,

    /// <summary>ENCRYPT_REQ: encryption is required (sent by servers that force encryption).</summary>
    Required = 0x03,
}

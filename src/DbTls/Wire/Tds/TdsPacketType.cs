namespace DbTls.Wire.Tds;

/// <summary>The packet header's Type byte (MS-TDS 2.2.3.1.1).</summary>
internal enum TdsPacketType : byte
{
    SqlBatch = 0x01,
    PreTds7Login = 0x02,
    Rpc = 0x03,

    /// <summary>Every server response, and the PRELOGIN response.</summary>
    TabularResult = 0x04,
    Attention = 0x06,
    BulkLoad = 0x07,
    FederatedAuthToken = 0x08,
    TransactionManager = 0x0E,
    Login7 = 0x10,
    Sspi = 0x11,

    /// <summary>The PRELOGIN request, and in TDS 7.x the TLS handshake records wrapped in packets.</summary>
    PreLogin = 0x12,
}

/// <summary>The packet header's Status bits (MS-TDS 2.2.3.1.2).</summary>
[Flags]
internal enum TdsPacketStatus : byte
{
    Normal = 0x00,

    /// <summary>The last packet of a message.</summary>
    EndOfMessage = 0x01,

    /// <summary>The message is to be ignored (sent with EndOfMessage to cancel a partly sent message).</summary>
    Ignore = 0x02,
    ResetConnection = 0x08,
    ResetConnectionSkipTransaction = 0x10,
}

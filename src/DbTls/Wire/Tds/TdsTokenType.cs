namespace DbTls.Wire.Tds;

/// <summary>Token types of the tabular result stream (MS-TDS 2.2.7).</summary>
internal enum TdsTokenType : byte
{
    Offset = 0x78,
    ReturnStatus = 0x79,
    ColMetadata = 0x81,
    AltMetadata = 0x88,
    DataClassification = 0xA3,
    TabName = 0xA4,
    ColInfo = 0xA5,
    Order = 0xA9,
    Error = 0xAA,
    Info = 0xAB,
    ReturnValue = 0xAC,
    LoginAck = 0xAD,
    FeatureExtAck = 0xAE,
    Row = 0xD1,
    NbcRow = 0xD2,
    AltRow = 0xD3,
    EnvChange = 0xE3,
    SessionState = 0xE4,
    Sspi = 0xED,
    FedAuthInfo = 0xEE,
    Done = 0xFD,
    DoneProc = 0xFE,
    DoneInProc = 0xFF,
}

/// <summary>DONE status bits (MS-TDS 2.2.7.6).</summary>
[Flags]
internal enum TdsDoneStatus : ushort
{
    Final = 0x0000,
    More = 0x0001,
    Error = 0x0002,
    InTransaction = 0x0004,
    Count = 0x0010,
    Attention = 0x0020,
    ServerError = 0x0100,
}

/// <summary>ENVCHANGE types (MS-TDS 2.2.7.9) that dbtls names.</summary>
internal static class TdsEnvChangeTypes
{
    public const byte Database = 1;
    public const byte Language = 2;
    public const byte CharacterSet = 3;
    public const byte PacketSize = 4;
    public const byte SqlCollation = 7;
    public const byte BeginTransaction = 8;
    public const byte CommitTransaction = 9;
    public const byte RollbackTransaction = 10;
    public const byte RealTimeLogShipping = 13;
    public const byte PromoteTransaction = 15;
    public const byte ResetConnectionAck = 18;
    public const byte UserInstance = 19;
    public const byte Routing = 20;
}

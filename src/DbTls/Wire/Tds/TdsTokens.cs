namespace DbTls.Wire.Tds;

/// <summary>A token of the tabular result stream.</summary>
internal abstract record TdsToken(TdsTokenType Type);

/// <summary>LOGINACK: the login succeeded. <see cref="TdsVersion"/> is the version the server will speak.</summary>
internal sealed record LoginAckToken(byte Interface, uint TdsVersion, string ProgramName, byte MajorVersion, byte MinorVersion, ushort BuildNumber)
    : TdsToken(TdsTokenType.LoginAck)
{
    public string ServerVersion => $"{MajorVersion}.{MinorVersion}.{BuildNumber}";
}

/// <summary>ENVCHANGE. String types fill <see cref="NewValue"/>/<see cref="OldValue"/>; all types keep the raw values.</summary>
internal sealed record EnvChangeToken(byte ChangeType, string? NewValue, string? OldValue, byte[] NewData, byte[] OldData)
    : TdsToken(TdsTokenType.EnvChange);

/// <summary>INFO or ERROR: a server message.</summary>
internal sealed record MessageToken(bool IsError, int Number, byte State, byte Class, string Message, string ServerName, string ProcedureName, int LineNumber)
    : TdsToken(IsError ? TdsTokenType.Error : TdsTokenType.Info);

/// <summary>DONE, DONEPROC or DONEINPROC.</summary>
internal sealed record DoneToken(TdsTokenType Kind, TdsDoneStatus Status, ushort CurrentCommand, ulong RowCount) : TdsToken(Kind)
{
    public bool IsFinal => (Status & TdsDoneStatus.More) == 0;

    public bool HasError => (Status & (TdsDoneStatus.Error | TdsDoneStatus.ServerError)) != 0;

    public bool HasCount => (Status & TdsDoneStatus.Count) != 0;
}

/// <summary>FEATUREEXTACK: the features the server acknowledged.</summary>
internal sealed record FeatureExtAckToken(IReadOnlyList<TdsFeature> Features) : TdsToken(TdsTokenType.FeatureExtAck);

/// <summary>COLMETADATA: the columns of the rows that follow.</summary>
internal sealed record ColMetadataToken(IReadOnlyList<TdsColumn> Columns) : TdsToken(TdsTokenType.ColMetadata);

/// <summary>ROW or NBCROW, decoded with the preceding COLMETADATA.</summary>
internal sealed record RowToken(IReadOnlyList<object?> Values) : TdsToken(TdsTokenType.Row);

/// <summary>A token dbtls does not interpret but could skip safely by its declared length.</summary>
internal sealed record SkippedToken(TdsTokenType SkippedType, int Length) : TdsToken(SkippedType);

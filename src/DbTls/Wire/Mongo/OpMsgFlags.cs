namespace DbTls.Wire.Mongo;

/// <summary>OP_MSG flagBits. The low 16 bits are required (unknown ones are an error), the high 16 optional.</summary>
[Flags]
internal enum OpMsgFlags : uint
{
    None = 0,
    ChecksumPresent = 1 << 0,
    MoreToCome = 1 << 1,
    ExhaustAllowed = 1 << 16,
}

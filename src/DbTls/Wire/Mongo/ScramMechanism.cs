namespace DbTls.Wire.Mongo;

/// <summary>The SCRAM variants MongoDB speaks.</summary>
internal enum ScramMechanism
{
    /// <summary>SCRAM-SHA-1 over MongoDB's password digest <c>hex(md5(user:mongo:password))</c>.</summary>
    Sha1,

    /// <summary>SCRAM-SHA-256 over the SASLprep'd password (RFC 7677).</summary>
    Sha256,
}

internal static class ScramMechanismNames
{
    public const string Sha1 = "SCRAM-SHA-1";
    public const string Sha256 = "SCRAM-SHA-256";

    public static string ToMechanismName(this ScramMechanism mechanism) => mechanism == ScramMechanism.Sha1 ? Sha1 : Sha256;

    public static ScramMechanism? Parse(string? name) => name switch
    {
        Sha1 => ScramMechanism.Sha1,
        Sha256 => ScramMechanism.Sha256,
        _ => null,
    };
}

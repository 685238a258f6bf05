namespace DbTls.Wire.Tds;

/// <summary>PL_OPTION_TOKEN values of the PRELOGIN option table (MS-TDS 2.2.6.5).</summary>
internal enum PreLoginOptionToken : byte
{
    Version = 0x00,
    Encryption = 0x01,
    InstOpt = 0x02,
    ThreadId = 0x03,
    Mars = 0x04,
    TraceId = 0x05,
    FedAuthRequired = 0x06,
    Nonce = 0x07,
    Terminator = 0xFF,
}

/// <summary>
/// B_FENCRYPTION values. The low six bits carry the mode; <see cref="ClientCertificate"/> is a flag
/// OR-ed onto it. Decoded values are kept as sent, so an undefined mode stays visible.
/// </summary>
internal enum PreLoginEncryption : byte
{
    /// <summary>Encryption available but off: only the first LOGIN7 packet goes through TLS.</summary>
    Off = 0x00,

    /// <summary>Encryption available and on.</summary>
    On = 0x01,

    /// <summary>Encryption not available.</summary>
    NotSupported = 0x02,

    /// <summary>Encryption required.</summary>
    Required = 0x03,

    /// <summary>Flag: the client authenticates with a certificate.</summary>
    ClientCertificate = 0x80,
}

internal static class PreLoginEncryptionExtensions
{
    /// <summary>The mode without the flag bits (SqlClient masks with 0x3F the same way).</summary>
    public static PreLoginEncryption Mode(this PreLoginEncryption value) => (PreLoginEncryption)((byte)value & 0x3F);

    public static bool HasClientCertificate(this PreLoginEncryption value) => ((byte)value & 0x80) != 0;

    /// <summary>ENCRYPT_OFF, ENCRYPT_ON, ENCRYPT_NOT_SUP, ENCRYPT_REQ, or the hex value for anything else.</summary>
    public static string ToSpecName(this PreLoginEncryption value)
    {
        var name = value.Mode() switch
        {
            PreLoginEncryption.Off => "ENCRYPT_OFF",
            PreLoginEncryption.On => "ENCRYPT_ON",
            PreLoginEncryption.NotSupported => "ENCRYPT_NOT_SUP",
            PreLoginEncryption.Required => "ENCRYPT_REQ",
            _ => $"0x{(byte)value:X2}",
        };
        return value.HasClientCertificate() && value.Mode() <= PreLoginEncryption.Required ? name + "|ENCRYPT_CLIENT_CERT" : name;
    }
}

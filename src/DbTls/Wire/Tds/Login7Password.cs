using System.Text;

namespace DbTls.Wire.Tds;

/// <summary>
/// The LOGIN7 password "encryption" of MS-TDS 2.2.6.4: each byte of the UTF-16LE password has its
/// nibbles swapped and is XOR-ed with 0xA5. It is an encoding, not protection: anyone who sees
/// the LOGIN7 packet has the password, which is why LOGIN7 must only travel inside TLS.
/// </summary>
internal static class Login7Password
{
    public static byte[] Obfuscate(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var bytes = Encoding.Unicode.GetBytes(password);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            bytes[i] = (byte)((((b << 4) & 0xF0) | (b >> 4)) ^ 0xA5);
        }

        return bytes;
    }

    public static string Deobfuscate(ReadOnlySpan<byte> obfuscated)
    {
        var bytes = new byte[obfuscated.Length];
        for (var i = 0; i < obfuscated.Length; i++)
        {
            var b = (byte)(obfuscated[i] ^ 0xA5);
            bytes[i] = (byte)(((b << 4) & 0xF0) | (b >> 4));
        }

        return Encoding.Unicode.GetString(bytes);
    }
}

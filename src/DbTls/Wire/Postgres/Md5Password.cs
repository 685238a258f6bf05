using System.Security.Cryptography;
using System.Text;

namespace DbTls.Wire.Postgres;

/// <summary>
/// PostgreSQL's md5 authentication answer: "md5" + hex(md5(hex(md5(password + user)) + salt)).
/// MD5 is broken; dbtls only speaks it because servers still ask for it.
/// </summary>
internal static class Md5Password
{
    public static byte[] Compute(string password, string user, ReadOnlySpan<byte> salt)
    {
        if (salt.Length != 4)
        {
            throw new ArgumentException("the md5 salt is 4 bytes", nameof(salt));
        }

        var secret = Encoding.UTF8.GetBytes(password + user);
        var inner = new byte[32 + 4];
        try
        {
#pragma warning disable CA5351 // MD5 is what the PostgreSQL protocol prescribes for this method.
            var innerHash = MD5.HashData(secret);
            WriteLowerHex(innerHash, inner);
            salt.CopyTo(inner.AsSpan(32));
            var outerHash = MD5.HashData(inner);
#pragma warning restore CA5351
            var result = new byte[3 + 32];
            "md5"u8.CopyTo(result);
            WriteLowerHex(outerHash, result.AsSpan(3));
            return result;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(inner);
        }
    }

    private static void WriteLowerHex(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        const string digits = "0123456789abcdef";
        for (var i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = (byte)digits[bytes[i] >> 4];
            destination[(2 * i) + 1] = (byte)digits[bytes[i] & 0xF];
        }
    }
}

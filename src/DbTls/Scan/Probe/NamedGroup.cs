using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace DbTls.Scan.Probe;

/// <summary>A key-exchange group (TLS "supported_groups" code point).</summary>
public readonly record struct NamedGroup(ushort Id, string Name)
{
    public static readonly NamedGroup X25519 = new(29, "x25519");
    public static readonly NamedGroup Secp256r1 = new(23, "secp256r1");

    /// <summary>The groups a scan asks about: the elliptic curves and finite-field groups current libraries implement.</summary>
    public static readonly NamedGroup[] Known =
    [
        X25519,
        new(30, "x448"),
        Secp256r1,
        new(24, "secp384r1"),
        new(25, "secp521r1"),
        new(26, "brainpoolP256r1"),
        new(27, "brainpoolP384r1"),
        new(28, "brainpoolP512r1"),
        new(256, "ffdhe2048"),
        new(257, "ffdhe3072"),
        new(258, "ffdhe4096"),
        new(259, "ffdhe6144"),
        new(260, "ffdhe8192"),
    ];

    public bool IsFiniteField => Id is >= 256 and <= 511;

    public static NamedGroup Of(ushort id)
    {
        foreach (var group in Known)
        {
            if (group.Id == id)
            {
                return group;
            }
        }

        return new NamedGroup(id, $"0x{id:X4}");
    }

    /// <summary>
    /// A real public key for a TLS 1.3 key_share, or null for groups the probe sends no share for (the server then
    /// answers with a HelloRetryRequest naming the group, which proves acceptance just as well). A probe never
    /// completes a handshake, so one key per group and process is enough.
    /// </summary>
    public byte[]? KeyShare() => Id switch
    {
        29 => Shares.X25519.Value,
        30 => Shares.X448.Value,
        23 => Shares.P256.Value,
        24 => Shares.P384.Value,
        25 => Shares.P521.Value,
        _ => null,
    };

    private static class Shares
    {
        public static readonly Lazy<byte[]> X25519 = new(() => new X25519PrivateKeyParameters(new SecureRandom()).GeneratePublicKey().GetEncoded());
        public static readonly Lazy<byte[]> X448 = new(() => new X448PrivateKeyParameters(new SecureRandom()).GeneratePublicKey().GetEncoded());
        public static readonly Lazy<byte[]> P256 = new(() => Uncompressed(ECCurve.NamedCurves.nistP256));
        public static readonly Lazy<byte[]> P384 = new(() => Uncompressed(ECCurve.NamedCurves.nistP384));
        public static readonly Lazy<byte[]> P521 = new(() => Uncompressed(ECCurve.NamedCurves.nistP521));

        /// <summary>The uncompressed point 0x04 || X || Y that TLS 1.3 requires for the NIST curves (RFC 8446 4.2.8.2).</summary>
        private static byte[] Uncompressed(ECCurve curve)
        {
            using var key = ECDiffieHellman.Create(curve);
            var point = key.ExportParameters(false).Q;
            return [0x04, .. point.X!, .. point.Y!];
        }
    }
}

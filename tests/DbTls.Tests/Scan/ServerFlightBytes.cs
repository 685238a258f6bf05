using System.Buffers.Binary;

namespace DbTls.Tests.Scan;

/// <summary>Hand-made server answers, byte by byte, for the parser tests and the hostile servers.</summary>
internal static class ServerFlightBytes
{
    public static readonly byte[] HelloRetryRandom = Convert.FromHexString("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    public static byte[] Record(byte type, byte[] body) =>
        [type, 3, 3, (byte)(body.Length >> 8), (byte)body.Length, .. body];

    public static byte[] Handshake(byte type, byte[] body) =>
        [type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];

    public static byte[] Extension(ushort type, byte[] data) => [.. U16(type), .. U16((ushort)data.Length), .. data];

    public static byte[] ServerHello(ushort version, ushort suite, byte[]? random = null, params byte[][] extensions)
    {
        var ext = extensions.SelectMany(e => e).ToArray();
        byte[] body = [.. U16(version), .. random ?? new byte[32], 0, .. U16(suite), 0];
        if (extensions.Length > 0)
        {
            body = [.. body, .. U16((ushort)ext.Length), .. ext];
        }

        return Handshake(2, body);
    }

    public static byte[] Certificate(params byte[][] certificates)
    {
        var list = certificates.SelectMany(c => (byte[])[(byte)(c.Length >> 16), (byte)(c.Length >> 8), (byte)c.Length, .. c]).ToArray();
        return Handshake(11, [(byte)(list.Length >> 16), (byte)(list.Length >> 8), (byte)list.Length, .. list]);
    }

    public static byte[] ServerHelloDone => Handshake(14, []);

    public static byte[] Alert(byte description) => Record(21, [2, description]);

    public static byte[] U16(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return bytes;
    }
}

using System.Buffers.Binary;
using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Wire.Postgres;

/// <summary>Builds the frontend messages the check sends. Every length is computed, never typed in.</summary>
internal static class FrontendMessages
{
    /// <summary>SSLRequest: length 8, then the magic code.</summary>
    public static byte[] SslRequest()
    {
        var packet = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(packet, 8);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(4), PostgresProtocol.SslRequestCode);
        return packet;
    }

    /// <summary>StartupMessage for protocol 3.0 with the given parameters (pairs with empty values are left out).</summary>
    public static byte[] Startup(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        using var body = new MemoryStream();
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, PostgresProtocol.Version30);
        body.Write(word);
        foreach (var (name, value) in parameters)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            WriteCString(body, name);
            WriteCString(body, value);
        }

        body.WriteByte(0);
        var payload = body.ToArray();
        var packet = new byte[payload.Length + 4];
        BinaryPrimitives.WriteInt32BigEndian(packet, packet.Length);
        payload.CopyTo(packet, 4);
        return packet;
    }

    /// <summary>PasswordMessage ('p') carrying a NUL-terminated string (cleartext or md5 hash). The caller zeroes the result after sending.</summary>
    public static byte[] Password(ReadOnlySpan<byte> utf8Password)
    {
        var packet = new byte[1 + 4 + utf8Password.Length + 1];
        packet[0] = (byte)'p';
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(1), packet.Length - 1);
        utf8Password.CopyTo(packet.AsSpan(5));
        return packet;
    }

    /// <summary>SASLInitialResponse ('p'): mechanism name, then the length-prefixed client-first-message.</summary>
    public static byte[] SaslInitialResponse(string mechanism, ReadOnlySpan<byte> data)
    {
        var name = Encoding.ASCII.GetBytes(mechanism);
        var packet = new byte[1 + 4 + name.Length + 1 + 4 + data.Length];
        packet[0] = (byte)'p';
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(1), packet.Length - 1);
        name.CopyTo(packet.AsSpan(5));
        var offset = 5 + name.Length + 1;
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(offset), data.Length);
        data.CopyTo(packet.AsSpan(offset + 4));
        return packet;
    }

    /// <summary>SASLResponse ('p'): the raw client-final-message.</summary>
    public static byte[] SaslResponse(ReadOnlySpan<byte> data)
    {
        var packet = new byte[1 + 4 + data.Length];
        packet[0] = (byte)'p';
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(1), packet.Length - 1);
        data.CopyTo(packet.AsSpan(5));
        return packet;
    }

    /// <summary>Simple Query ('Q').</summary>
    public static byte[] Query(string sql)
    {
        var text = Encoding.UTF8.GetBytes(sql);
        var packet = new byte[1 + 4 + text.Length + 1];
        packet[0] = (byte)'Q';
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(1), packet.Length - 1);
        text.CopyTo(packet.AsSpan(5));
        return packet;
    }

    /// <summary>Terminate ('X').</summary>
    public static byte[] Terminate() => [(byte)'X', 0, 0, 0, 4];

    private static void WriteCString(Stream stream, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.AsSpan().IndexOf((byte)0) >= 0)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, "startup parameters (user, database, application_name) cannot contain NUL characters");
        }

        stream.Write(bytes);
        stream.WriteByte(0);
    }
}

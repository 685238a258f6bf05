using System.Buffers.Binary;
using System.Text;

namespace DbTls.Tests.Servers.PostgresHostile;

/// <summary>Builds backend messages, well-formed or not, for the hostile server.</summary>
public static class BackendWriter
{
    public static readonly byte[] SslRequestBytes = [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F];

    /// <summary>A message with the length computed from the body.</summary>
    public static byte[] Message(char type, params byte[][] body)
    {
        var payload = body.SelectMany(b => b).ToArray();
        return Raw(type, payload.Length + 4, payload);
    }

    /// <summary>A message with any length word at all, for malformed input.</summary>
    public static byte[] Raw(char type, int lengthWord, byte[] payload)
    {
        var message = new byte[5 + payload.Length];
        message[0] = (byte)type;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), lengthWord);
        payload.CopyTo(message, 5);
        return message;
    }

    public static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] Int16(short value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteInt16BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] CString(string value) => [.. Encoding.UTF8.GetBytes(value), 0];

    public static byte[] Authentication(int code, params byte[][] extra) => Message('R', [Int32(code), .. extra]);

    public static byte[] AuthenticationOk() => Authentication(0);

    public static byte[] AuthenticationCleartextPassword() => Authentication(3);

    public static byte[] AuthenticationMd5Password(byte[] salt) => Authentication(5, salt);

    public static byte[] AuthenticationSasl(params string[] mechanisms) =>
        Authentication(10, [.. mechanisms.SelectMany(CString), 0]);

    public static byte[] AuthenticationSaslContinue(string data) => Authentication(11, Encoding.ASCII.GetBytes(data));

    public static byte[] AuthenticationSaslFinal(string data) => Authentication(12, Encoding.ASCII.GetBytes(data));

    public static byte[] ErrorResponse(string severity, string sqlState, string message) =>
        Message('E', [(byte)'S'], CString(severity), [(byte)'V'], CString(severity), [(byte)'C'], CString(sqlState), [(byte)'M'], CString(message), [0]);

    public static byte[] ParameterStatus(string name, string value) => Message('S', CString(name), CString(value));

    public static byte[] BackendKeyData(int processId, int key) => Message('K', Int32(processId), Int32(key));

    public static byte[] ReadyForQuery() => Message('Z', [(byte)'I']);

    /// <summary>AuthenticationOk followed by what a server sends until ReadyForQuery.</summary>
    public static byte[] LoginCompleted(string serverVersion) =>
        [.. AuthenticationOk(), .. ParameterStatus("server_version", serverVersion), .. ParameterStatus("client_encoding", "UTF8"), .. BackendKeyData(4242, 1234567), .. ReadyForQuery()];

    /// <summary>A text-format RowDescription for the given column names.</summary>
    public static byte[] RowDescription(params string[] columns) =>
        Message('T', Int16((short)columns.Length), [.. columns.SelectMany(c => (byte[])[.. CString(c), .. Int32(0), .. Int16(0), .. Int32(25), .. Int16(-1), .. Int32(-1), .. Int16(0)])]);

    public static byte[] DataRow(params string?[] values) =>
        Message('D', Int16((short)values.Length), [.. values.SelectMany(v => v is null ? Int32(-1) : (byte[])[.. Int32(Encoding.UTF8.GetByteCount(v)), .. Encoding.UTF8.GetBytes(v)])]);

    public static byte[] CommandComplete(string tag) => Message('C', CString(tag));

    /// <summary>The answer to dbtls' pg_stat_ssl query: one row, then ReadyForQuery.</summary>
    public static byte[] SslViewRow(string? ssl, string? version, string? cipher, string? bits, string? clientDn) =>
        [.. RowDescription("ssl", "version", "cipher", "bits", "client_dn"), .. DataRow(ssl, version, cipher, bits, clientDn), .. CommandComplete("SELECT 1"), .. ReadyForQuery()];
}

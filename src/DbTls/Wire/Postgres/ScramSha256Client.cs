using System.Security.Cryptography;
using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Wire.Postgres;

/// <summary>What the client says about channel binding in the GS2 header (RFC 5802 section 6).</summary>
internal enum ScramChannelBinding
{
    /// <summary>"n": the client does not support channel binding (not over TLS, or channel_binding=disable).</summary>
    NotSupported,

    /// <summary>"y": the client supports it but believes the server does not (TLS, but no -PLUS offered).</summary>
    SupportedButNotOffered,

    /// <summary>"p=tls-server-end-point": SCRAM-SHA-256-PLUS bound to the server certificate.</summary>
    TlsServerEndPoint,
}

/// <summary>
/// The client side of SCRAM-SHA-256 and SCRAM-SHA-256-PLUS (RFC 5802, RFC 7677) as PostgreSQL uses it:
/// empty user name in the exchange (the server takes the startup user), 18-byte random nonce, and a
/// mandatory check of the server signature so that a server that does not know the password (an
/// impostor in the middle) is detected.
/// </summary>
internal sealed class ScramSha256Client : IDisposable
{
    public const string MechanismName = "SCRAM-SHA-256";
    public const string PlusMechanismName = "SCRAM-SHA-256-PLUS";

    private const int RawNonceLength = 18;

    private readonly byte[] _password;
    private readonly ScramChannelBinding _binding;
    private readonly byte[] _bindingData;
    private readonly string _clientNonce;
    private readonly string _clientFirstBare;
    private readonly string _gs2Header;
    private byte[]? _serverSignature;

    public ScramSha256Client(string normalizedPassword, ScramChannelBinding binding, byte[]? bindingData, string? clientNonce = null, string userName = "")
    {
        ArgumentNullException.ThrowIfNull(normalizedPassword);
        if (binding == ScramChannelBinding.TlsServerEndPoint && (bindingData is null || bindingData.Length == 0))
        {
            throw new ArgumentException("tls-server-end-point binding needs the certificate hash", nameof(bindingData));
        }

        _password = Encoding.UTF8.GetBytes(normalizedPassword);
        _binding = binding;
        _bindingData = bindingData ?? [];
        _clientNonce = clientNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(RawNonceLength));
        _gs2Header = binding switch
        {
            ScramChannelBinding.TlsServerEndPoint => "p=tls-server-end-point,,",
            ScramChannelBinding.SupportedButNotOffered => "y,,",
            _ => "n,,",
        };
        _clientFirstBare = $"n={EscapeSaslName(userName)},r={_clientNonce}";
    }

    public string Mechanism => _binding == ScramChannelBinding.TlsServerEndPoint ? PlusMechanismName : MechanismName;

    public bool UsesChannelBinding => _binding == ScramChannelBinding.TlsServerEndPoint;

    /// <summary>True once the server proved it knows the password.</summary>
    public bool ServerVerified { get; private set; }

    /// <summary>True once the client-final-message was produced (the proof was computed).</summary>
    public bool ProofSent => _serverSignature is not null;

    public byte[] ClientFirstMessage() => Encoding.ASCII.GetBytes(_gs2Header + _clientFirstBare);

    /// <summary>Parses server-first-message and computes client-final-message with the proof.</summary>
    public byte[] ClientFinalMessage(ReadOnlySpan<byte> serverFirstBytes)
    {
        var serverFirst = DecodeAscii(serverFirstBytes, "server-first-message");
        var parts = serverFirst.Split(',');
        if (parts.Length > 0 && parts[0].StartsWith("m=", StringComparison.Ordinal))
        {
            throw Malformed("the server requires a SCRAM extension this client does not know");
        }

        if (parts.Length != 3)
        {
            throw Malformed("server-first-message must be r=…,s=…,i=…");
        }

        var nonce = Attribute(parts[0], 'r', "server-first-message");
        var saltText = Attribute(parts[1], 's', "server-first-message");
        var iterationText = Attribute(parts[2], 'i', "server-first-message");

        if (!nonce.StartsWith(_clientNonce, StringComparison.Ordinal))
        {
            throw Malformed("the server's nonce does not start with the client's nonce");
        }

        if (nonce.Any(c => c < 0x21 || c > 0x7E))
        {
            throw Malformed("the server's nonce contains characters outside printable ASCII");
        }

        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(saltText);
        }
        catch (FormatException)
        {
            throw Malformed("the salt is not valid base64");
        }

        if (salt.Length == 0)
        {
            throw Malformed("the salt is empty");
        }

        if (!int.TryParse(iterationText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            throw Malformed($"invalid iteration count \"{PostgresServerError.Clean(iterationText, 20)}\"");
        }

        if (iterations > PostgresProtocol.MaxScramIterations)
        {
            throw new DbTlsException(FindingCodes.AuthFailed,
                $"the server asked for {iterations} SCRAM iterations; dbtls refuses more than {PostgresProtocol.MaxScramIterations} (a hostile server can use this to burn CPU)");
        }

        var channelBinding = new byte[Encoding.ASCII.GetByteCount(_gs2Header) + _bindingData.Length];
        Encoding.ASCII.GetBytes(_gs2Header, channelBinding);
        _bindingData.CopyTo(channelBinding, channelBinding.Length - _bindingData.Length);
        var finalWithoutProof = $"c={Convert.ToBase64String(channelBinding)},r={nonce}";
        var authMessage = Encoding.ASCII.GetBytes($"{_clientFirstBare},{serverFirst},{finalWithoutProof}");

        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(_password, salt, iterations, HashAlgorithmName.SHA256, 32);
        try
        {
            var clientKey = HMACSHA256.HashData(saltedPassword, "Client Key"u8);
            var storedKey = SHA256.HashData(clientKey);
            var clientSignature = HMACSHA256.HashData(storedKey, authMessage);
            var proof = new byte[clientKey.Length];
            for (var i = 0; i < proof.Length; i++)
            {
                proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
            }

            var serverKey = HMACSHA256.HashData(saltedPassword, "Server Key"u8);
            _serverSignature = HMACSHA256.HashData(serverKey, authMessage);
            CryptographicOperations.ZeroMemory(clientKey);
            CryptographicOperations.ZeroMemory(serverKey);
            return Encoding.ASCII.GetBytes($"{finalWithoutProof},p={Convert.ToBase64String(proof)}");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(saltedPassword);
        }
    }

    /// <summary>Checks server-final-message: "v=" must carry exactly the expected server signature.</summary>
    public void VerifyServerFinal(ReadOnlySpan<byte> serverFinalBytes)
    {
        if (_serverSignature is null)
        {
            throw Malformed("the server sent its final SCRAM message before the client sent its proof");
        }

        var serverFinal = DecodeAscii(serverFinalBytes, "server-final-message");
        if (serverFinal.StartsWith("e=", StringComparison.Ordinal))
        {
            throw new DbTlsException(FindingCodes.AuthFailed, $"the server reported a SCRAM error: {PostgresServerError.Clean(serverFinal[2..], 200)}");
        }

        var parts = serverFinal.Split(',');
        var verifier = Attribute(parts[0], 'v', "server-final-message");
        if (parts.Length != 1)
        {
            throw Malformed("garbage at the end of server-final-message");
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(verifier);
        }
        catch (FormatException)
        {
            throw Malformed("the server signature is not valid base64");
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, _serverSignature))
        {
            throw new DbTlsException(FindingCodes.AuthFailed,
                "the server's SCRAM signature is wrong: the server does not know the password, so it may be an impostor",
                "Do not use this connection; check that the host really is your PostgreSQL server (use sslmode=verify-full).");
        }

        ServerVerified = true;
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_password);
        if (_serverSignature is not null)
        {
            CryptographicOperations.ZeroMemory(_serverSignature);
        }
    }

    private static string Attribute(string part, char name, string message)
    {
        if (part.Length < 2 || part[0] != name || part[1] != '=')
        {
            throw Malformed($"{message} lacks the expected attribute '{name}'");
        }

        return part[2..];
    }

    private static string DecodeAscii(ReadOnlySpan<byte> bytes, string message)
    {
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7E)
            {
                throw Malformed($"{message} contains a byte outside printable ASCII");
            }
        }

        return Encoding.ASCII.GetString(bytes);
    }

    private static string EscapeSaslName(string name) => name.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    private static DbTlsException Malformed(string detail) =>
        new(FindingCodes.ServerProtocolViolation, $"malformed SCRAM message from the server: {detail}");
}

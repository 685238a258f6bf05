using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DbTls.Auth;

/// <summary>
/// The client side of one SCRAM exchange (RFC 5802, RFC 7677), the one core under PostgreSQL's
/// SCRAM-SHA-256(-PLUS) and MongoDB's SCRAM-SHA-1/-256: GS2 header with the channel-binding flag, client nonce,
/// client-final with the proof, and a mandatory check of the server signature. The password arrives already
/// prepared (SASLprep, or MongoDB's digest) when the proof is computed, and is not kept; framing stays in the wire
/// folders. Anything hostile or malformed from
/// the server is a <see cref="ScramException"/> with a <see cref="ScramFailure"/>, decided before any PBKDF2 work.
/// </summary>
internal sealed class ScramClient
{
    private readonly ScramHash _hash;
    private readonly ScramRules _rules;
    private readonly byte[] _bindingData;
    private readonly string _gs2Header;
    private readonly string _clientNonce;
    private readonly string _clientFirstBare;
    private byte[]? _serverSignature;

    /// <param name="userName">Escaped here (=2C, =3D); PostgreSQL sends an empty name (the startup user counts).</param>
    public ScramClient(ScramHash hash, string userName, ScramChannelBinding binding,
        ReadOnlySpan<byte> bindingData, string clientNonce, ScramRules rules)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentException.ThrowIfNullOrEmpty(clientNonce);
        ArgumentNullException.ThrowIfNull(rules);
        if (binding == ScramChannelBinding.TlsServerEndPoint && bindingData.IsEmpty)
        {
            throw new ArgumentException("tls-server-end-point binding needs the certificate hash", nameof(bindingData));
        }

        _hash = hash;
        _rules = rules;
        _bindingData = bindingData.ToArray();
        _clientNonce = clientNonce;
        _gs2Header = binding switch
        {
            ScramChannelBinding.TlsServerEndPoint => "p=tls-server-end-point,,",
            ScramChannelBinding.SupportedButNotOffered => "y,,",
            _ => "n,,",
        };
        _clientFirstBare = $"n={EscapeUserName(userName)},r={clientNonce}";
    }

    /// <summary>The iteration count the server asked for (0 until server-first was accepted).</summary>
    public int Iterations { get; private set; }

    /// <summary>True once the client-final message (with the proof) was produced.</summary>
    public bool ProofSent => _serverSignature is not null;

    /// <summary>True once the server proved it knows the password.</summary>
    public bool ServerVerified { get; private set; }

    /// <summary>A fresh client nonce: <paramref name="randomBytes"/> random bytes in base64.</summary>
    public static string NewNonce(int randomBytes) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(randomBytes));

    /// <summary>RFC 5802 saslname: "=" becomes "=3D" and "," becomes "=2C".</summary>
    public static string EscapeUserName(string userName) =>
        userName.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    public byte[] ClientFirstMessage() => Encoding.UTF8.GetBytes(_gs2Header + _clientFirstBare);

    /// <summary>Checks server-first-message (r=, s=, i=) and returns client-final-message with the proof.</summary>
    /// <param name="preparedPassword">Asked for only once the server's message passed every check, so that the
    /// caller prepares (and may refuse) the password after the server has spoken, as the drivers do.</param>
    public byte[] ClientFinalMessage(ReadOnlySpan<byte> serverFirstBytes, Func<byte[]> preparedPassword)
    {
        var serverFirst = Decode(serverFirstBytes, "server-first-message");
        if (serverFirst.StartsWith("m=", StringComparison.Ordinal))
        {
            throw new ScramException(ScramFailure.UnsupportedExtension, "the server requires a SCRAM extension (m=) no client supports");
        }

        var parts = serverFirst.Split(',');
        ThrowOnServerError(parts[0]);
        if (parts.Length < 3 || (parts.Length > 3 && !_rules.ExtensionsAllowed))
        {
            throw Malformed("server-first-message must be r=…,s=…,i=…");
        }

        var nonce = Attribute(parts[0], 'r', "server-first-message");
        var salt = Salt(Attribute(parts[1], 's', "server-first-message"));
        var iterations = IterationCount(Attribute(parts[2], 'i', "server-first-message"));
        CheckNonce(nonce);

        var finalWithoutProof = $"c={ChannelBindingAttribute()},r={nonce}";
        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{serverFirst},{finalWithoutProof}");
        var (name, length) = _hash == ScramHash.Sha1 ? (HashAlgorithmName.SHA1, 20) : (HashAlgorithmName.SHA256, 32);
        var password = preparedPassword();
        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, name, length);
        CryptographicOperations.ZeroMemory(password);
        var clientKey = Hmac(saltedPassword, "Client Key"u8);
        var serverKey = Hmac(saltedPassword, "Server Key"u8);
        try
        {
            var clientSignature = Hmac(_hash == ScramHash.Sha1 ? SHA1.HashData(clientKey) : SHA256.HashData(clientKey), authMessage);
            var proof = new byte[clientKey.Length];
            for (var i = 0; i < proof.Length; i++)
            {
                proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
            }

            _serverSignature = Hmac(serverKey, authMessage);
            Iterations = iterations;
            return Encoding.UTF8.GetBytes($"{finalWithoutProof},p={Convert.ToBase64String(proof)}");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(saltedPassword);
            CryptographicOperations.ZeroMemory(clientKey);
            CryptographicOperations.ZeroMemory(serverKey);
        }
    }

    /// <summary>Checks server-final-message: <c>v=</c> must carry exactly the expected server signature.</summary>
    public void VerifyServerFinal(ReadOnlySpan<byte> serverFinalBytes)
    {
        if (_serverSignature is null)
        {
            throw new ScramException(ScramFailure.OutOfOrder, "the server sent its final SCRAM message before the client sent its proof");
        }

        var parts = Decode(serverFinalBytes, "server-final-message").Split(',');
        ThrowOnServerError(parts[0]);
        if (parts[0].Length < 2 || parts[0][0] != 'v' || parts[0][1] != '=')
        {
            throw new ScramException(ScramFailure.SignatureMissing, "the server's final SCRAM message has no signature (v=)");
        }

        if (parts.Length > 1 && !_rules.ExtensionsAllowed)
        {
            throw Malformed("garbage at the end of server-final-message");
        }

        Span<byte> signature = stackalloc byte[64];
        if (!Convert.TryFromBase64String(parts[0][2..], signature, out var written))
        {
            throw new ScramException(ScramFailure.SignatureMalformed, "the server signature is not valid base64");
        }

        if (!CryptographicOperations.FixedTimeEquals(signature[..written], _serverSignature))
        {
            throw new ScramException(ScramFailure.SignatureWrong,
                "the server's SCRAM signature is wrong: whoever answered does not know the password");
        }

        ServerVerified = true;
    }

    private string ChannelBindingAttribute()
    {
        var header = Encoding.ASCII.GetBytes(_gs2Header);
        return Convert.ToBase64String([.. header, .. _bindingData]);
    }

    private void CheckNonce(string nonce)
    {
        foreach (var c in nonce)
        {
            if (c is < (char)0x21 or > (char)0x7E)
            {
                throw Malformed("the server's nonce contains characters outside printable ASCII");
            }
        }

        if (!nonce.StartsWith(_clientNonce, StringComparison.Ordinal))
        {
            throw new ScramException(ScramFailure.NonceMismatch, "the server's nonce does not start with the client's nonce: the reply does not belong to this login");
        }

        if (_rules.NonceMustGrow && nonce.Length == _clientNonce.Length)
        {
            throw new ScramException(ScramFailure.NonceMismatch, "the server's nonce does not extend the client's nonce: the reply does not belong to this login");
        }
    }

    private static byte[] Salt(string text)
    {
        if (text.Length == 0)
        {
            throw Malformed("the salt is empty");
        }

        var salt = new byte[Math.Min(text.Length, ScramRules.MaxServerMessageLength)];
        if (!Convert.TryFromBase64String(text, salt, out var length))
        {
            throw Malformed("the salt is not valid base64");
        }

        return length switch
        {
            0 => throw Malformed("the salt is empty"),
            > ScramRules.MaxSaltLength => throw Malformed($"the salt is {length} bytes long, more than the {ScramRules.MaxSaltLength} dbtls accepts"),
            _ => salt[..length],
        };
    }

    private int IterationCount(string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations))
        {
            throw Malformed($"invalid iteration count \"{Printable(text, 20)}\"");
        }

        if (iterations < _rules.MinIterations)
        {
            throw new ScramException(ScramFailure.IterationsTooFew,
                $"the server asked for an iteration count of {iterations}; the driver refuses fewer than {_rules.MinIterations}");
        }

        return iterations <= _rules.MaxIterations
            ? iterations
            : throw new ScramException(ScramFailure.IterationsTooMany,
                $"the server asked for {iterations} SCRAM iterations; dbtls refuses more than {_rules.MaxIterations} (a hostile server can use this to burn CPU)");
    }

    private static void ThrowOnServerError(string first)
    {
        if (first.StartsWith("e=", StringComparison.Ordinal))
        {
            throw new ScramException(ScramFailure.ServerError, Printable(first[2..], 200));
        }
    }

    private static string Attribute(string part, char name, string message) =>
        part.Length >= 2 && part[0] == name && part[1] == '='
            ? part[2..]
            : throw Malformed($"{message} lacks the expected attribute '{name}'");

    /// <summary>Strict UTF-8 without control characters, and bounded: the server's bytes are not trusted.</summary>
    private static string Decode(ReadOnlySpan<byte> bytes, string message)
    {
        if (bytes.Length > ScramRules.MaxServerMessageLength)
        {
            throw Malformed($"{message} is {bytes.Length} bytes long");
        }

        foreach (var b in bytes)
        {
            if (b is < 0x20 or 0x7F)
            {
                throw Malformed($"{message} contains a control byte");
            }
        }

        return System.Text.Unicode.Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : throw Malformed($"{message} is not UTF-8");
    }

    /// <summary>Server text for a message: printable ASCII only, shortened.</summary>
    private static string Printable(string text, int max)
    {
        var builder = new StringBuilder(Math.Min(text.Length, max));
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, max)))
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return text.Length > max ? builder.Append('…').ToString() : builder.ToString();
    }

    private byte[] Hmac(byte[] key, ReadOnlySpan<byte> data) =>
        _hash == ScramHash.Sha1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);

    private static ScramException Malformed(string detail) => new(ScramFailure.Malformed, $"malformed SCRAM message from the server: {detail}");
}

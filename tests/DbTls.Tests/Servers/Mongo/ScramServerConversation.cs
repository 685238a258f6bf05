using System.Security.Cryptography;
using System.Text;
using DbTls.Auth;
using DbTls.Wire.Mongo;

namespace DbTls.Tests.Servers.Mongo;

/// <summary>A user's stored SCRAM credential for one mechanism, as mongod keeps it (salt, iterations, StoredKey, ServerKey).</summary>
internal sealed record ScramStoredCredential(ScramMechanism Mechanism, byte[] Salt, int Iterations, byte[] StoredKey, byte[] ServerKey)
{
    public static ScramStoredCredential Create(ScramMechanism mechanism, string user, string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(mechanism == ScramMechanism.Sha1 ? 16 : 28);
        var secret = mechanism == ScramMechanism.Sha1
            ? ScramConversation.MongoPasswordDigest(user, password)
            : SaslPrep.Prepare(password, SaslPrepRules.Rfc4013).Value ?? password;
        var hash = mechanism == ScramMechanism.Sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, hash, mechanism == ScramMechanism.Sha1 ? 20 : 32);
        var clientKey = Hmac(mechanism, salted, "Client Key"u8);
        return new ScramStoredCredential(mechanism, salt, iterations, Hash(mechanism, clientKey), Hmac(mechanism, salted, "Server Key"u8));
    }

    internal static byte[] Hmac(ScramMechanism m, byte[] key, ReadOnlySpan<byte> data) =>
        m == ScramMechanism.Sha1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);

    internal static byte[] Hash(ScramMechanism m, byte[] data) => m == ScramMechanism.Sha1 ? SHA1.HashData(data) : SHA256.HashData(data);
}

/// <summary>
/// The server side of one SCRAM conversation (RFC 5802): checks the client's gs2 header and nonce, verifies
/// the proof against the stored key and answers with the server signature.
/// </summary>
internal sealed class ScramServerConversation(ScramStoredCredential credential, MongoHostileMode hostile)
{
    private string? _clientFirstBare;
    private string? _serverFirst;
    private string? _nonce;

    public ScramMechanism Mechanism => credential.Mechanism;

    /// <summary>Parses the client-first message; returns the user name it names, or null when malformed.</summary>
    public static string? ReadUser(string clientFirst)
    {
        if (!clientFirst.StartsWith("n,,", StringComparison.Ordinal))
        {
            return null;
        }

        var bare = clientFirst[3..];
        if (!bare.StartsWith("n=", StringComparison.Ordinal))
        {
            return null;
        }

        var comma = bare.IndexOf(',', StringComparison.Ordinal);
        return comma < 0 ? null : bare[2..comma].Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
    }

    public byte[]? ServerFirst(string clientFirst)
    {
        _clientFirstBare = clientFirst[3..];
        var r = _clientFirstBare.Split(',').FirstOrDefault(p => p.StartsWith("r=", StringComparison.Ordinal));
        if (r is null || r.Length < 3)
        {
            return null;
        }

        _nonce = r[2..] + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        var iterations = hostile == MongoHostileMode.LowIterationCount ? 1000 : credential.Iterations;
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(credential.Salt)},i={iterations}";
        return Encoding.UTF8.GetBytes(_serverFirst);
    }

    /// <summary>Verifies the client-final message; returns the server-final message, or null when the proof is wrong.</summary>
    public byte[]? ServerFinal(string clientFinal)
    {
        var proofAt = clientFinal.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0 || _serverFirst is null)
        {
            return null;
        }

        var withoutProof = clientFinal[..proofAt];
        if (withoutProof != $"c=biws,r={_nonce}")
        {
            return null;
        }

        byte[] proof;
        try
        {
            proof = Convert.FromBase64String(clientFinal[(proofAt + 3)..]);
        }
        catch (FormatException)
        {
            return null;
        }

        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{_serverFirst},{withoutProof}");
        var clientSignature = ScramStoredCredential.Hmac(Mechanism, credential.StoredKey, authMessage);
        if (proof.Length != clientSignature.Length)
        {
            return null;
        }

        var clientKey = new byte[proof.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            clientKey[i] = (byte)(proof[i] ^ clientSignature[i]);
        }

        var accepted = CryptographicOperations.FixedTimeEquals(ScramStoredCredential.Hash(Mechanism, clientKey), credential.StoredKey);
        if (!accepted && hostile is not (MongoHostileMode.BadServerSignature or MongoHostileMode.SkipServerSignature))
        {
            return null;
        }

        var serverSignature = ScramStoredCredential.Hmac(Mechanism, credential.ServerKey, authMessage);
        if (hostile == MongoHostileMode.BadServerSignature)
        {
            serverSignature[0] ^= 0xFF;
        }

        return Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(serverSignature));
    }
}

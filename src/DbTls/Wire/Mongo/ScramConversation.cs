using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DbTls.Auth;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Wire.Mongo;

/// <summary>
/// The client side of one SCRAM exchange (RFC 5802 / RFC 7677) with MongoDB's rules: no channel binding
/// ("n,,"), the user name not SASLprep'd, SCRAM-SHA-1 over the MongoDB password digest, an iteration
/// count of at least 4096, and the server's signature verified before the login counts.
/// </summary>
public sealed class ScramConversation
{
    /// <summary>The drivers' floor (auth spec: "MUST enforce a minimum iteration count of 4096").</summary>
    public const int MinIterations = 4096;

    /// <summary>A ceiling so that a hostile server cannot make the client spin in PBKDF2.</summary>
    public const int MaxIterations = 10_000_000;

    private readonly string _user;
    private readonly Secret _password;
    private readonly string _clientNonce;
    private string? _clientFirstBare;
    private byte[]? _expectedServerSignature;

    public ScramConversation(ScramMechanism mechanism, string user, Secret password, string? clientNonce = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        Mechanism = mechanism;
        _user = user;
        _password = password;
        _clientNonce = clientNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
    }

    public ScramMechanism Mechanism { get; }

    /// <summary>True after the server proved it knows the password.</summary>
    public bool ServerVerified { get; private set; }

    /// <summary>The iteration count the server asked for.</summary>
    public int Iterations { get; private set; }

    /// <summary>Set when the password had non-ASCII characters that could not be NFKC-normalised (see <see cref="SaslPrep"/>).</summary>
    public bool PasswordNormalizationSkipped { get; private set; }

    public byte[] CreateClientFirst()
    {
        _clientFirstBare = $"n={EscapeUser(_user)},r={_clientNonce}";
        return Encoding.UTF8.GetBytes("n,," + _clientFirstBare);
    }

    /// <summary>Checks the server-first message and computes the client-final message with the proof.</summary>
    public byte[] CreateClientFinal(ReadOnlySpan<byte> serverFirstBytes)
    {
        if (_clientFirstBare is null)
        {
            throw new InvalidOperationException("CreateClientFirst must come first");
        }

        var serverFirst = DecodeServerMessage(serverFirstBytes, "server-first");
        var attributes = ParseAttributes(serverFirst, "server-first");
        if (attributes.ContainsKey('m'))
        {
            throw Violation("the server-first message demands a SCRAM extension (m=) no client supports");
        }

        if (attributes.TryGetValue('e', out var serverError))
        {
            throw new DbTlsException(FindingCodes.AuthFailed, $"the server ended SCRAM authentication: {serverError}");
        }

        var nonce = Required(attributes, 'r', "server-first");
        if (!nonce.StartsWith(_clientNonce, StringComparison.Ordinal) || nonce.Length == _clientNonce.Length)
        {
            throw new DbTlsException(FindingCodes.AuthServerSignatureInvalid,
                "the server's SCRAM nonce does not extend the client's nonce: the reply does not belong to this login");
        }

        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(Required(attributes, 's', "server-first"));
        }
        catch (FormatException ex)
        {
            throw Violation("the SCRAM salt is not base64", ex);
        }

        if (salt.Length == 0)
        {
            throw Violation("the SCRAM salt is empty");
        }

        if (!int.TryParse(Required(attributes, 'i', "server-first"), NumberStyles.None, CultureInfo.InvariantCulture, out var iterations))
        {
            throw Violation("the SCRAM iteration count is not a number");
        }

        if (iterations < MinIterations)
        {
            throw new DbTlsException(FindingCodes.AuthFailed,
                $"the server asked for {iterations} SCRAM iterations; drivers refuse fewer than {MinIterations} (a downgrade attack or a weakly configured server)",
                "Raise scramIterationCount / scramSHA256IterationCount on the server and reset the password.");
        }

        if (iterations > MaxIterations)
        {
            throw Violation($"the server asked for {iterations} SCRAM iterations, more than the {MaxIterations} dbtls allows");
        }

        Iterations = iterations;
        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(PreparePassword(), salt, iterations, Mechanism.HashName(), Mechanism.HashLength());
        var clientKey = Hmac(saltedPassword, "Client Key"u8);
        var storedKey = Hash(clientKey);
        var clientFinalWithoutProof = $"c=biws,r={nonce}";
        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{serverFirst},{clientFinalWithoutProof}");
        var clientSignature = Hmac(storedKey, authMessage);
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        }

        _expectedServerSignature = Hmac(Hmac(saltedPassword, "Server Key"u8), authMessage);
        CryptographicOperations.ZeroMemory(saltedPassword);
        return Encoding.UTF8.GetBytes($"{clientFinalWithoutProof},p={Convert.ToBase64String(proof)}");
    }

    /// <summary>Checks the server-final message (<c>v=</c> signature, or <c>e=</c> error).</summary>
    public void VerifyServerFinal(ReadOnlySpan<byte> serverFinalBytes)
    {
        if (_expectedServerSignature is null)
        {
            throw new InvalidOperationException("CreateClientFinal must come first");
        }

        var serverFinal = DecodeServerMessage(serverFinalBytes, "server-final");
        var attributes = ParseAttributes(serverFinal, "server-final");
        if (attributes.TryGetValue('e', out var serverError))
        {
            throw new DbTlsException(FindingCodes.AuthFailed, $"the server rejected the SCRAM proof: {serverError}");
        }

        if (!attributes.TryGetValue('v', out var verifier))
        {
            throw new DbTlsException(FindingCodes.AuthServerSignatureInvalid, "the server's final SCRAM message has no signature (v=)");
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(verifier);
        }
        catch (FormatException)
        {
            throw new DbTlsException(FindingCodes.AuthServerSignatureInvalid, "the server's SCRAM signature is not base64");
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, _expectedServerSignature))
        {
            throw new DbTlsException(FindingCodes.AuthServerSignatureInvalid,
                "the server's SCRAM signature is wrong: whoever answered does not know the user's stored key");
        }

        ServerVerified = true;
    }

    /// <summary>MongoDB's SCRAM-SHA-1 password digest: lower-case hex of MD5("user:mongo:password").</summary>
    public static string MongoPasswordDigest(string user, string password)
    {
#pragma warning disable CA5351 // MD5 is what the MongoDB SCRAM-SHA-1 credential format is defined with, not a choice.
        var digest = MD5.HashData(Encoding.UTF8.GetBytes($"{user}:mongo:{password}"));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(digest);
    }

    private byte[] PreparePassword()
    {
        if (Mechanism == ScramMechanism.Sha1)
        {
            return Encoding.UTF8.GetBytes(MongoPasswordDigest(_user, _password.Reveal()));
        }

        // The MongoDB auth spec: SCRAM-SHA-256 passwords are SASLprep'd, and a password SASLprep refuses is an error.
        var prepared = SaslPrep.Prepare(_password.Reveal(), SaslPrepRules.Rfc4013);
        if (!prepared.Succeeded)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid,
                $"the password contains {prepared.Reason}, so SCRAM-SHA-256 cannot use it",
                "Change the password to one SASLprep accepts (no control, private-use or non-character code points), or use SCRAM-SHA-1.");
        }

        PasswordNormalizationSkipped = prepared.NormalizationSkipped;
        return Encoding.UTF8.GetBytes(prepared.Value!);
    }

    private byte[] Hmac(byte[] key, ReadOnlySpan<byte> data) =>
        Mechanism == ScramMechanism.Sha1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);

    private byte[] Hash(byte[] data) => Mechanism == ScramMechanism.Sha1 ? SHA1.HashData(data) : SHA256.HashData(data);

    internal static string EscapeUser(string user) =>
        user.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    private static string DecodeServerMessage(ReadOnlySpan<byte> bytes, string what)
    {
        if (bytes.Length > 4096)
        {
            throw Violation($"the SCRAM {what} message is {bytes.Length} bytes long");
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw Violation($"the SCRAM {what} message is not UTF-8", ex);
        }
    }

    private static Dictionary<char, string> ParseAttributes(string message, string what)
    {
        var result = new Dictionary<char, string>();
        foreach (var part in message.Split(','))
        {
            if (part.Length < 2 || part[1] != '=' || !char.IsAsciiLetter(part[0]))
            {
                throw Violation($"the SCRAM {what} message has a malformed attribute");
            }

            result.TryAdd(part[0], part[2..]);
        }

        return result;
    }

    private static string Required(Dictionary<char, string> attributes, char name, string what) =>
        attributes.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw Violation($"the SCRAM {what} message lacks '{name}='");

    private static DbTlsException Violation(string message, Exception? inner = null) =>
        new(FindingCodes.ServerProtocolViolation, message, inner: inner);
}

using System.Security.Cryptography;
using System.Text;
using DbTls.Auth;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Wire.Mongo;

/// <summary>
/// One SCRAM exchange with MongoDB's rules over the one SCRAM core (<see cref="ScramClient"/>): no channel binding
/// ("n,,"), the user name escaped but not SASLprep'd, SCRAM-SHA-1 over the MongoDB password digest, SCRAM-SHA-256
/// over the SASLprep'd password, an iteration count of at least 4096, and the server's signature verified before
/// the login counts. Failures become the findings the MongoDB checks report.
/// </summary>
internal sealed class ScramConversation
{
    /// <summary>The drivers' floor (auth spec: "MUST enforce a minimum iteration count of 4096").</summary>
    public const int MinIterations = 4096;

    /// <summary>A ceiling so that a hostile server cannot make the client spin in PBKDF2.</summary>
    public const int MaxIterations = 10_000_000;

    private static readonly ScramRules DriverRules = new(MinIterations, MaxIterations, NonceMustGrow: true, ExtensionsAllowed: true);

    private readonly string _user;
    private readonly Secret _password;
    private readonly ScramClient _scram;
    private bool _firstSent;

    public ScramConversation(ScramMechanism mechanism, string user, Secret password, string? clientNonce = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        Mechanism = mechanism;
        _user = user;
        _password = password;
        var hash = mechanism == ScramMechanism.Sha1 ? ScramHash.Sha1 : ScramHash.Sha256;
        _scram = new ScramClient(hash, user, ScramChannelBinding.NotSupported, [], clientNonce ?? ScramClient.NewNonce(24), DriverRules);
    }

    public ScramMechanism Mechanism { get; }

    /// <summary>True after the server proved it knows the password.</summary>
    public bool ServerVerified => _scram.ServerVerified;

    /// <summary>The iteration count the server asked for.</summary>
    public int Iterations => _scram.Iterations;

    /// <summary>Set when the password had non-ASCII characters that could not be NFKC-normalised (see <see cref="SaslPrep"/>).</summary>
    public bool PasswordNormalizationSkipped { get; private set; }

    public byte[] CreateClientFirst()
    {
        _firstSent = true;
        return _scram.ClientFirstMessage();
    }

    /// <summary>Checks the server-first message and computes the client-final message with the proof.</summary>
    public byte[] CreateClientFinal(ReadOnlySpan<byte> serverFirstBytes)
    {
        if (!_firstSent)
        {
            throw new InvalidOperationException("CreateClientFirst must come first");
        }

        try
        {
            return _scram.ClientFinalMessage(serverFirstBytes, PreparePassword);
        }
        catch (ScramException ex)
        {
            throw ToFinding(ex);
        }
    }

    /// <summary>Checks the server-final message (<c>v=</c> signature, or <c>e=</c> error).</summary>
    public void VerifyServerFinal(ReadOnlySpan<byte> serverFinalBytes)
    {
        if (!_scram.ProofSent)
        {
            throw new InvalidOperationException("CreateClientFinal must come first");
        }

        try
        {
            _scram.VerifyServerFinal(serverFinalBytes);
        }
        catch (ScramException ex)
        {
            throw ToFinding(ex);
        }
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

    private static DbTlsException ToFinding(ScramException ex) => ex.Failure switch
    {
        ScramFailure.ServerError => new(FindingCodes.AuthFailed, $"the server ended SCRAM authentication: {ex.Message}"),
        ScramFailure.IterationsTooFew => new(FindingCodes.AuthFailed,
            $"{ex.Message} (a downgrade attack or a weakly configured server)",
            "Raise scramIterationCount / scramSHA256IterationCount on the server and reset the password."),
        ScramFailure.NonceMismatch or ScramFailure.SignatureMissing or ScramFailure.SignatureMalformed or ScramFailure.SignatureWrong =>
            new(FindingCodes.AuthServerSignatureInvalid, ex.Message),
        _ => new(FindingCodes.ServerProtocolViolation, ex.Message),
    };
}

using System.Security.Cryptography;
using System.Text;
using DbTls.Auth;
using DbTls.Diagnostics;

namespace DbTls.Wire.Postgres;

/// <summary>
/// SCRAM-SHA-256 and SCRAM-SHA-256-PLUS as libpq speaks them, over the one SCRAM core (<see cref="ScramClient"/>):
/// empty user name in the exchange (the server takes the startup user), 18-byte random nonce, libpq's acceptance
/// rules (any iteration count from 1, no trailing attributes), and libpq's wording of failures as findings.
/// </summary>
internal sealed class ScramSha256Client : IDisposable
{
    public const string MechanismName = "SCRAM-SHA-256";
    public const string PlusMechanismName = "SCRAM-SHA-256-PLUS";

    private const int RawNonceLength = 18;

    private static readonly ScramRules LibpqRules = new(1, PostgresProtocol.MaxScramIterations, NonceMustGrow: false, ExtensionsAllowed: false);

    private readonly byte[] _password;
    private readonly ScramChannelBinding _binding;
    private readonly ScramClient _scram;

    public ScramSha256Client(string normalizedPassword, ScramChannelBinding binding, byte[]? bindingData, string? clientNonce = null, string userName = "")
    {
        ArgumentNullException.ThrowIfNull(normalizedPassword);
        _password = Encoding.UTF8.GetBytes(normalizedPassword);
        _binding = binding;
        _scram = new ScramClient(ScramHash.Sha256, userName, binding, bindingData, clientNonce ?? ScramClient.NewNonce(RawNonceLength), LibpqRules);
    }

    public string Mechanism => _binding == ScramChannelBinding.TlsServerEndPoint ? PlusMechanismName : MechanismName;

    public bool UsesChannelBinding => _binding == ScramChannelBinding.TlsServerEndPoint;

    /// <summary>True once the server proved it knows the password.</summary>
    public bool ServerVerified => _scram.ServerVerified;

    /// <summary>True once the client-final-message was produced (the proof was computed).</summary>
    public bool ProofSent => _scram.ProofSent;

    public byte[] ClientFirstMessage() => _scram.ClientFirstMessage();

    /// <summary>Parses server-first-message and computes client-final-message with the proof.</summary>
    public byte[] ClientFinalMessage(ReadOnlySpan<byte> serverFirstBytes)
    {
        try
        {
            return _scram.ClientFinalMessage(serverFirstBytes, () => (byte[])_password.Clone());
        }
        catch (ScramException ex)
        {
            throw ToFinding(ex);
        }
    }

    /// <summary>Checks server-final-message: "v=" must carry exactly the expected server signature.</summary>
    public void VerifyServerFinal(ReadOnlySpan<byte> serverFinalBytes)
    {
        try
        {
            _scram.VerifyServerFinal(serverFinalBytes);
        }
        catch (ScramException ex)
        {
            throw ToFinding(ex);
        }
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_password);

    private static DbTlsException ToFinding(ScramException ex) => ex.Failure switch
    {
        ScramFailure.ServerError => new(FindingCodes.AuthFailed, $"the server reported a SCRAM error: {ex.Message}"),
        ScramFailure.IterationsTooMany => new(FindingCodes.AuthFailed, ex.Message),
        ScramFailure.SignatureWrong => new(FindingCodes.AuthFailed,
            "the server's SCRAM signature is wrong: the server does not know the password, so it may be an impostor",
            "Do not use this connection; check that the host really is your PostgreSQL server (use sslmode=verify-full)."),
        ScramFailure.Malformed => new(FindingCodes.ServerProtocolViolation, ex.Message),
        _ => new(FindingCodes.ServerProtocolViolation, $"malformed SCRAM message from the server: {ex.Message}"),
    };
}

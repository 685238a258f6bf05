using System.Globalization;
using System.Text;
using DbTls.Auth;
using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Tls;

namespace DbTls.Wire.Postgres;

/// <summary>The 'R' message loop up to AuthenticationOk.</summary>
internal sealed class PostgresAuthenticationExchange : IDisposable
{
    private readonly PostgresConnection _connection;
    private readonly PostgresLoginRequest _request;
    private readonly PostgresLoginResult _result;
    private ScramSha256Client? _scram;
    private bool _saslPrepSkipped;

    public PostgresAuthenticationExchange(PostgresConnection connection, PostgresLoginRequest request, PostgresLoginResult result)
    {
        _connection = connection;
        _request = request;
        _result = result;
    }

    /// <summary>True when AuthenticationOk arrived; false when the login stopped for lack of a password.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await _connection.ReadAsync(ReadPhase.Authentication, cancellationToken).ConfigureAwait(false);
            if (message.Type == BackendMessageType.ErrorResponse)
            {
                var error = PostgresServerError.Parse(message);
                var context = _saslPrepSkipped && error.SqlState == "28P01"
                    ? "the server rejected the connection (note: the password has non-ASCII characters and this build of dbtls cannot NFKC-normalise them as SASLprep requires; a password with compatibility or decomposed characters fails for that reason)"
                    : "the server rejected the connection";
                throw new PostgresServerErrorException(error, beforeAuthenticationOk: true, context);
            }

            if (message.Type == BackendMessageType.NegotiateProtocolVersion)
            {
                var reader = message.Reader();
                var minor = reader.ReadInt32();
                throw new DbTlsException(FindingCodes.ServerProtocolViolation,
                    $"the server does not accept protocol 3.0 as sent (it offers 3.{minor.ToString(CultureInfo.InvariantCulture)}); this is not a PostgreSQL 7.4+ server or a proxy interferes");
            }

            var body = message.Reader();
            var code = (AuthenticationRequest)body.ReadInt32();
            switch (code)
            {
                case AuthenticationRequest.Ok:
                    body.ExpectEnd();
                    OnAuthenticationOk();
                    return true;
                case AuthenticationRequest.CleartextPassword:
                    {
                        body.ExpectEnd();
                        RequireChannelBindingNotDemanded("password");
                        if (!HavePassword("password", "a cleartext password"))
                        {
                            return false;
                        }

                        _result.Attempted = true;
                        _result.Mechanism = "password";
                        _result.Detail = _connection.IsEncrypted ? "cleartext password sent inside TLS" : "cleartext password sent WITHOUT encryption";
                        var password = Encoding.UTF8.GetBytes(_request.Password!.Reveal());
                        try
                        {
                            await _connection.SendCredentialAsync(FrontendMessages.Password(password), cancellationToken).ConfigureAwait(false);
                        }
                        finally
                        {
                            System.Security.Cryptography.CryptographicOperations.ZeroMemory(password);
                        }

                        break;
                    }

                case AuthenticationRequest.Md5Password:
                    {
                        var salt = body.ReadBytes(4).ToArray();
                        body.ExpectEnd();
                        RequireChannelBindingNotDemanded("md5");
                        if (!HavePassword("md5", "an md5-hashed password"))
                        {
                            return false;
                        }

                        _result.Attempted = true;
                        _result.Mechanism = "md5";
                        var hash = Md5Password.Compute(_request.Password!.Reveal(), _request.User, salt);
                        try
                        {
                            await _connection.SendCredentialAsync(FrontendMessages.Password(hash), cancellationToken).ConfigureAwait(false);
                        }
                        finally
                        {
                            System.Security.Cryptography.CryptographicOperations.ZeroMemory(hash);
                        }

                        break;
                    }

                case AuthenticationRequest.Sasl:
                    {
                        var mechanisms = ReadMechanisms(ref body);
                        if (!await StartSaslAsync(mechanisms, cancellationToken).ConfigureAwait(false))
                        {
                            return false;
                        }

                        break;
                    }

                case AuthenticationRequest.SaslContinue:
                    {
                        if (_scram is null || _scram.ProofSent)
                        {
                            throw new DbTlsException(FindingCodes.ServerProtocolViolation, "the server sent AuthenticationSASLContinue out of turn");
                        }

                        var serverFirst = body.ReadRest().ToArray();
                        var scram = _scram;
                        // PBKDF2 cannot be cancelled; run it off the caller so that the deadline still ends the check.
                        var final = await Task.Run(() => scram.ClientFinalMessage(serverFirst), cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
                        await _connection.SendCredentialAsync(FrontendMessages.SaslResponse(final), cancellationToken).ConfigureAwait(false);
                        break;
                    }

                case AuthenticationRequest.SaslFinal:
                    {
                        if (_scram is null)
                        {
                            throw new DbTlsException(FindingCodes.ServerProtocolViolation, "the server sent AuthenticationSASLFinal without a SASL exchange");
                        }

                        _scram.VerifyServerFinal(body.ReadRest());
                        break;
                    }

                case AuthenticationRequest.KerberosV5:
                    throw Unsupported("Kerberos V5");
                case AuthenticationRequest.ScmCredential:
                    throw Unsupported("SCM credential (Unix-socket peer)");
                case AuthenticationRequest.Gss:
                case AuthenticationRequest.GssContinue:
                    throw Unsupported("GSSAPI (Kerberos)");
                case AuthenticationRequest.Sspi:
                    throw Unsupported("SSPI (Windows)");
                default:
                    throw new DbTlsException(FindingCodes.AuthFailed,
                        $"the server asked for an unknown authentication method (request code {((int)code).ToString(CultureInfo.InvariantCulture)})",
                        "Check that the port belongs to a PostgreSQL server; dbtls supports trust, cert, password, md5 and SCRAM-SHA-256(-PLUS).");
            }
        }
    }

    public void Dispose() => _scram?.Dispose();

    private void OnAuthenticationOk()
    {
        if (_scram is not null && !_scram.ServerVerified)
        {
            // The server skipped the step in which it proves that it knows the password.
            throw new DbTlsException(FindingCodes.AuthFailed,
                "the server sent AuthenticationOk before completing SCRAM (it never proved that it knows the password), so it may be an impostor");
        }

        if (_request.ChannelBinding == ChannelBindingMode.Require && !(_scram?.UsesChannelBinding ?? false))
        {
            throw new DbTlsException(FindingCodes.AuthChannelBinding, "channel binding required, but the server authenticated the client without channel binding");
        }

        if (_result.Mechanism is null)
        {
            var certificate = _connection.Tls?.Facts.ClientCertificateSent == true;
            _result.Mechanism = certificate ? "cert" : "trust";
            _result.Detail = certificate
                ? "the server let the client in without a password (certificate authentication, or trust)"
                : "the server let the client in without any credential (trust authentication)";
        }

        _result.Attempted = true;
    }

    private void RequireChannelBindingNotDemanded(string method)
    {
        if (_request.ChannelBinding == ChannelBindingMode.Require)
        {
            throw new DbTlsException(FindingCodes.AuthChannelBinding,
                $"channel binding required, but the server asked for {method} authentication, which does not support it");
        }
    }

    private bool HavePassword(string mechanism, string what)
    {
        if (_request.Password is not null)
        {
            return true;
        }

        _result.Mechanism = mechanism;
        _result.SkippedForLackOfPassword = true;
        _result.Detail = $"the server asked for {what}; no password was given, so dbtls stopped here";
        return false;
    }

    private static List<string> ReadMechanisms(ref PayloadReader body)
    {
        var mechanisms = new List<string>();
        while (true)
        {
            var name = body.ReadCString();
            if (name.Length == 0)
            {
                break;
            }

            if (mechanisms.Count >= 32)
            {
                throw body.Violation("too many SASL mechanisms");
            }

            mechanisms.Add(name);
        }

        body.ExpectEnd();
        if (mechanisms.Count == 0)
        {
            throw body.Violation("the server offered no SASL mechanism");
        }

        return mechanisms;
    }

    /// <summary>Mechanism choice and channel-binding rules of libpq's pg_SASL_init.</summary>
    private async Task<bool> StartSaslAsync(List<string> mechanisms, CancellationToken cancellationToken)
    {
        if (_scram is not null)
        {
            throw new DbTlsException(FindingCodes.ServerProtocolViolation, "the server restarted the SASL exchange");
        }

        var offersPlus = mechanisms.Contains(ScramSha256Client.PlusMechanismName, StringComparer.Ordinal);
        var offersScram = mechanisms.Contains(ScramSha256Client.MechanismName, StringComparer.Ordinal);
        if (offersPlus && !_connection.IsEncrypted)
        {
            throw new DbTlsException(FindingCodes.ServerProtocolViolation,
                "the server offered SCRAM-SHA-256-PLUS over a connection without TLS: something between client and server may have stripped TLS",
                "Find the proxy or device between client and server that terminates TLS, and require TLS (sslmode=verify-full).");
        }

        var usePlus = offersPlus && _request.ChannelBinding != ChannelBindingMode.Disable;
        if (!usePlus && !offersScram)
        {
            var offered = string.Join(", ", mechanisms.Select(m => PostgresServerError.Clean(m, 40)));
            throw new DbTlsException(FindingCodes.AuthFailed, $"none of the server's SASL authentication mechanisms ({offered}) are supported");
        }

        if (_request.ChannelBinding == ChannelBindingMode.Require && !usePlus)
        {
            throw new DbTlsException(FindingCodes.AuthChannelBinding,
                _connection.IsEncrypted
                    ? "channel binding is required, but the server did not offer SCRAM-SHA-256-PLUS"
                    : "channel binding is required, but the connection is not encrypted, so it cannot be bound");
        }

        byte[]? bindingData = null;
        if (usePlus)
        {
            var certificate = _connection.Tls!.ServerCertificate
                ?? throw new DbTlsException(FindingCodes.AuthChannelBinding, "channel binding needs the server certificate, but the server sent none");
            bindingData = ChannelBinding.TlsServerEndPoint(certificate);
        }

        var mechanism = usePlus ? "scram-sha-256-plus" : "scram-sha-256";
        if (!HavePassword(mechanism, $"{(usePlus ? ScramSha256Client.PlusMechanismName : ScramSha256Client.MechanismName)} authentication"))
        {
            return false;
        }

        var binding = usePlus
            ? ScramChannelBinding.TlsServerEndPoint
            : _connection.IsEncrypted && _request.ChannelBinding != ChannelBindingMode.Disable
                ? ScramChannelBinding.SupportedButNotOffered
                : ScramChannelBinding.NotSupported;
        // libpq (fe-auth-scram.c): when SASLprep refuses the password, the password is used exactly as given.
        var password = _request.Password!.Reveal();
        var prepared = SaslPrep.Prepare(password, SaslPrepRules.Libpq);
        _saslPrepSkipped = prepared.NormalizationSkipped;
        _scram = new ScramSha256Client(prepared.Value ?? password, binding, bindingData);
        _result.Attempted = true;
        _result.Mechanism = mechanism;
        _result.ChannelBinding = usePlus;
        _result.Detail = usePlus
            ? "SCRAM bound to the server certificate (tls-server-end-point)"
            : _connection.IsEncrypted ? "SCRAM without channel binding" : "SCRAM over an unencrypted connection";
        if (_saslPrepSkipped)
        {
            _result.Detail += "; the password's non-ASCII characters were not NFKC-normalised (no Unicode data: neither .NET's nor a system ICU)";
        }
        var initial = FrontendMessages.SaslInitialResponse(_scram.Mechanism, _scram.ClientFirstMessage());
        await _connection.SendCredentialAsync(initial, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static DbTlsException Unsupported(string method) =>
        new(FindingCodes.AuthFailed,
            $"the server asked for {method} authentication, which dbtls does not support",
            "Check the pg_hba.conf line for this connection; dbtls supports trust, cert, password, md5 and SCRAM-SHA-256(-PLUS).");
}

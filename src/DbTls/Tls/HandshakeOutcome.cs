using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls.Revocation;

namespace DbTls.Tls;

/// <summary>
/// The end of a handshake, the same for both engines (SslStream, and BouncyCastle for legacy TLS): which
/// exception a failure becomes, and the checks and warnings once it succeeded.
/// </summary>
internal static class HandshakeOutcome
{
    /// <summary>
    /// The validator's own verdict when it rejected the certificate; otherwise the engine's classified
    /// failure, with the validation steps marked as not run when the chain never reached the validator.
    /// </summary>
    public static TlsHandshakeException Failed(CertificateValidator validator, X509Certificate2? serverCertificateSeen, HandshakeFacts facts, Exception exception, Func<(string Code, string Message)> classify)
    {
        if (validator.Failure is { } failure)
        {
            return new TlsHandshakeException(failure.Code, failure.Message, facts, failure.Remedy, exception);
        }

        if (!validator.Ran)
        {
            validator.RecordNotRun(serverCertificateSeen, facts);
        }

        var (code, message) = classify();
        return new TlsHandshakeException(code, message, facts, inner: exception);
    }

    /// <summary>
    /// The session, after the checks that follow a successful handshake: the client-certificate mode's, then
    /// OCSP (which needs network I/O, so it runs outside the validation callback). The stream is closed when
    /// one of them fails, before the caller has sent any application byte.
    /// </summary>
    public static async Task<TlsSession> EstablishedAsync(Stream stream, Stream transport, TlsPolicy policy, TlsTarget target, string? sni, HandshakeFacts facts,
        CertificateValidator validator, X509Certificate2? serverCertificate, SslProtocols protocol, CancellationToken cancellationToken)
    {
        if (policy.ClientCertificateMode == ClientCertificateMode.Required && facts.ClientCertificateRequested != true)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new TlsHandshakeException(FindingCodes.ClientCertNotRequested, "server did not request an SSL certificate (the client certificate mode requires it)", facts);
        }

        // libpq (sslcertmode=require) fails when it sent no certificate, even though the server asked and then let the handshake finish.
        if (policy.ClientCertificateMode == ClientCertificateMode.Required && !facts.ClientCertificateSent)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new TlsHandshakeException(FindingCodes.ClientCertMissing, "server accepted connection without a valid SSL certificate (the client certificate mode requires one, and none was sent)", facts,
                "Give the client certificate and key (libpq: sslcert and sslkey, by default ~/.postgresql/postgresql.crt and .key), or lower sslcertmode to allow.");
        }

        (Finding? Failure, IReadOnlyList<Finding> Warnings) ocsp;
        try
        {
            ocsp = await OcspHandshakeStep.RunAsync(transport, policy, target, sni, validator.Verified, facts, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (ocsp.Failure is { } failure)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new TlsHandshakeException(failure.Code, failure.Message, facts, failure.Remedy);
        }

        var findings = TlsClient.SessionFindings(protocol, validator.Verified.Count > 0 ? validator.Verified : validator.Presented, DateTimeOffset.UtcNow);
        findings.AddRange(ocsp.Warnings);
        findings.AddRange(validator.Warnings);
        return new TlsSession(stream, facts, serverCertificate, findings);
    }
}

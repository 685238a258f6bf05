using System.Security.Authentication;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls.Records;

namespace DbTls.Tls;

/// <summary>
/// Classifies a failed handshake (or a failure on the first read after it): the one set of rules for both TLS
/// engines (<see cref="Classify(in HandshakeFailureFacts, TlsPolicy, bool?, bool, bool)"/>), and the SslStream
/// adapter that reads the exception chain.
/// On Linux the innermost exception carries OpenSSL's error string, e.g.
/// <c>error:0A00042E:SSL routines::tlsv1 alert protocol version</c>; its reason text is stable across
/// OpenSSL versions and is what libpq itself keys its hints on.
/// </summary>
internal static class HandshakeFailures
{
    // OpenSSL reasons libpq answers with "the server does not support any SSL protocol version between ...".
    // "wrong version number" is left out: it almost always means the peer is not speaking TLS at all.
    private static readonly string[] VersionReasons =
    [
        "alert protocol version",
        "unsupported protocol",
        "no protocols available",
        "version too low",
        "version too high",
        "unsupported ssl version",
        "unknown ssl version",
        "wrong ssl version",
        "bad protocol version number",
    ];

    // Alerts a server sends about the client's certificate (RFC 8446 6.2); "handshake failure" only counts
    // when the server asked for a certificate and none was sent (OpenSSL servers send it for
    // SSL_VERIFY_FAIL_IF_NO_PEER_CERT under TLS 1.2).
    private static readonly string[] ClientCertificateAlerts =
    [
        "alert certificate required",
        "alert bad certificate",
        "alert unsupported certificate",
        "alert certificate revoked",
        "alert certificate expired",
        "alert certificate unknown",
        "alert unknown ca",
        "alert access denied",
        "alert decrypt error",
    ];

    /// <summary>The innermost message of the chain, usually OpenSSL's error string.</summary>
    public static string Reason(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        var text = innermost.Message.Trim();
        // "error:0A00042E:SSL routines::tlsv1 alert protocol version" -> "tlsv1 alert protocol version"
        var cut = text.LastIndexOf("::", StringComparison.Ordinal);
        if (text.StartsWith("error:", StringComparison.Ordinal) && cut >= 0)
        {
            return text[(cut + 2)..];
        }

        return text;
    }

    public static bool IsProtocolVersion(string reason) =>
        VersionReasons.Any(r => reason.Contains(r, StringComparison.OrdinalIgnoreCase));

    // The same alerts by number, for engines that report it.
    private static readonly int[] ClientCertificateAlertNumbers =
    [
        TlsAlerts.BadCertificate, TlsAlerts.UnsupportedCertificate, TlsAlerts.CertificateRevoked, TlsAlerts.CertificateExpired,
        TlsAlerts.CertificateUnknown, TlsAlerts.UnknownCa, TlsAlerts.AccessDenied, TlsAlerts.DecryptError,
    ];

    /// <param name="reason">OpenSSL's reason text.</param>
    /// <param name="alert">The alert number the server sent, when the engine reports it (preferred over the text).</param>
    /// <param name="requested">Whether the server sent a CertificateRequest (null: unknown).</param>
    /// <param name="sent">Whether a client certificate is known to have been sent.</param>
    /// <param name="offered">Whether one was configured and would have been sent on request.</param>
    public static DbTlsException? ClientCertificateFailure(string reason, int? alert, bool? requested, bool sent, bool offered)
    {
        var required = alert is { } number
            ? number == TlsAlerts.CertificateRequired
            : reason.Contains("certificate required", StringComparison.OrdinalIgnoreCase);
        var judgement = !required && (alert is { } judged
            ? ClientCertificateAlertNumbers.Contains(judged)
            : ClientCertificateAlerts.Any(a => reason.Contains(a, StringComparison.OrdinalIgnoreCase)));
        var said = alert is { } named ? TlsAlerts.Describe(named) : reason;
        string? message = null;
        if (required)
        {
            message = $"the server requires a client certificate and none was sent: {said}";
        }
        else if (judgement && (sent || (offered && requested != false)))
        {
            // A server only sends these about a certificate it received, but "decrypt error" and
            // "access denied" have other causes, so a certificate must have been in play.
            message = $"the server rejected our client certificate: {said}";
        }
        else if (requested == true && !sent && reason.Contains("alert handshake failure", StringComparison.OrdinalIgnoreCase))
        {
            message = $"the server requires a client certificate and none was sent: {said}";
        }

        return message is null ? null : new DbTlsException(FindingCodes.ClientCertMissing, message);
    }

    /// <summary>The SslStream adapter: reads OpenSSL's error text (and the exception types around it) into facts.</summary>
    public static (string Code, string Message) Classify(Exception exception, TlsPolicy policy, bool? certificateRequested, bool certificateSent, bool certificateOffered)
    {
        var reason = Reason(exception);
        var facts = new HandshakeFailureFacts
        {
            Reason = reason,
            VersionRefused = IsProtocolVersion(reason),
            MayJudgeClientCertificate = true,
            // OpenSSL's record-layer complaints, and SslStream's own frame check, which sees non-TLS bytes first.
            NotTls = reason.Contains("wrong version number", StringComparison.OrdinalIgnoreCase)
                || reason.Contains("packet length too long", StringComparison.OrdinalIgnoreCase)
                || reason.Contains("corrupted frame", StringComparison.OrdinalIgnoreCase),
            RecordViolation = exception is TlsRecordViolationException || exception.InnerException is TlsRecordViolationException,
            ConnectionBroke = exception is IOException || exception.InnerException is IOException
                || (exception is AuthenticationException && reason.Contains("EOF", StringComparison.OrdinalIgnoreCase)),
            HandshakeFailureAlert = reason.Contains("alert handshake failure", StringComparison.OrdinalIgnoreCase),
            ReceivedAlert = TlsAlerts.TryReceivedFromOpenSsl(exception, out var alert) ? alert : null,
        };
        return Classify(facts, policy, certificateRequested, certificateSent, certificateOffered);
    }

    /// <summary>The rules, in order, for every engine: the finding code and message of a failed handshake.</summary>
    public static (string Code, string Message) Classify(in HandshakeFailureFacts facts, TlsPolicy policy, bool? certificateRequested, bool certificateSent, bool certificateOffered)
    {
        var reason = facts.Reason;
        if (facts.VersionRefused)
        {
            var min = (policy.MinProtocol ?? TlsProtocolVersion.Tls12).ToDisplay();
            var max = (policy.MaxProtocol ?? TlsProtocolVersion.Tls13).ToDisplay();
            return (FindingCodes.TlsProtocolVersion, $"the server does not support any TLS protocol version between {min} and {max} ({reason})");
        }

        if (facts.MayJudgeClientCertificate
            && ClientCertificateFailure(reason, facts.ReceivedAlert, certificateRequested, certificateSent, certificateOffered) is { } clientFailure)
        {
            return (clientFailure.Code, clientFailure.Message);
        }

        if (facts.NotTls)
        {
            return (FindingCodes.TlsHandshakeFailed, $"the server did not answer with TLS records; it may not speak TLS on this port ({reason})");
        }

        if (facts.RecordViolation)
        {
            return (FindingCodes.TlsHandshakeFailed, reason);
        }

        if (facts.ConnectionBroke)
        {
            return (FindingCodes.TlsHandshakeFailed, $"the connection broke during the TLS handshake: {reason}");
        }

        // A server that speaks only TLS 1.0/1.1 answers a ClientHello without TLS 1.3 (TDS 7.x caps TLS at 1.2)
        // with handshake_failure, not protocol_version: it settles on its old version, then finds none of the
        // client's cipher suites usable there (measured with OpenSSL -tls1 and BouncyCastle servers).
        if (facts.HandshakeFailureAlert && (policy.MinProtocol ?? TlsProtocolVersion.Tls12) >= TlsProtocolVersion.Tls12)
        {
            return (FindingCodes.TlsHandshakeFailed, $"the server shares no cipher suite with the client at the TLS versions offered ({reason}); a server that speaks only TLS 1.0/1.1 answers this way");
        }

        return (FindingCodes.TlsHandshakeFailed, $"TLS handshake failed: {reason}");
    }
}

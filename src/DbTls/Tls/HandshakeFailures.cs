using System.Security.Authentication;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Tls;

/// <summary>
/// Classifies a failed handshake (or a failure on the first read after it) from the exception chain.
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

    public static bool IsClientCertificateRejection(string reason, bool? requested, bool sent)
    {
        if (ClientCertificateAlerts.Any(a => reason.Contains(a, StringComparison.OrdinalIgnoreCase)))
        {
            // These alerts only ever concern the client's certificate, but "decrypt error" and
            // "access denied" have other causes, so require that a certificate was in play.
            return reason.Contains("certificate required", StringComparison.OrdinalIgnoreCase) || requested == true || sent;
        }

        return requested == true && !sent && reason.Contains("alert handshake failure", StringComparison.OrdinalIgnoreCase);
    }

    public static DbTlsException? ClientCertificateFailure(string reason, bool? requested, bool sent)
    {
        if (!IsClientCertificateRejection(reason, requested, sent))
        {
            return null;
        }

        var message = sent
            ? $"the server rejected the client certificate ({reason})"
            : $"the server requires a client certificate and none was sent ({reason})";
        return new DbTlsException(FindingCodes.ClientCertMissing, message);
    }

    public static (string Code, string Message) Classify(Exception exception, TlsPolicy policy, bool? certificateRequested, bool certificateSent)
    {
        var reason = Reason(exception);
        if (IsProtocolVersion(reason))
        {
            var min = (policy.MinProtocol ?? TlsProtocolVersion.Tls12).ToDisplay();
            var max = (policy.MaxProtocol ?? TlsProtocolVersion.Tls13).ToDisplay();
            return (FindingCodes.TlsProtocolVersion, $"the server does not support any TLS protocol version between {min} and {max} ({reason})");
        }

        if (ClientCertificateFailure(reason, certificateRequested, certificateSent) is { } clientFailure)
        {
            return (clientFailure.Code, clientFailure.Message);
        }

        if (reason.Contains("wrong version number", StringComparison.OrdinalIgnoreCase) || reason.Contains("packet length too long", StringComparison.OrdinalIgnoreCase))
        {
            return (FindingCodes.TlsHandshakeFailed, $"the server did not answer with TLS records; it may not speak TLS on this port ({reason})");
        }

        if (exception is IOException || exception.InnerException is IOException || (exception is AuthenticationException && reason.Contains("EOF", StringComparison.OrdinalIgnoreCase)))
        {
            return (FindingCodes.TlsHandshakeFailed, $"the connection broke during the TLS handshake: {reason}");
        }

        return (FindingCodes.TlsHandshakeFailed, $"TLS handshake failed: {reason}");
    }
}

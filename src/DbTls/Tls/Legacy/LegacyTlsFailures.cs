using DbTls.Diagnostics;
using DbTls.Policy;
using Org.BouncyCastle.Tls;

namespace DbTls.Tls.Legacy;

/// <summary>
/// Classifies a failed BouncyCastle handshake with the same codes and messages as
/// <see cref="HandshakeFailures"/> gives for SslStream. Alerts are phrased as OpenSSL phrases them
/// ("alert protocol version", "alert handshake failure") so the shared client-certificate rules apply.
/// </summary>
internal static class LegacyTlsFailures
{
    public static string Reason(Exception exception) => exception switch
    {
        TlsFatalAlertReceived received => $"received alert {AlertName(received.AlertDescription)}",
        TlsFatalAlert raised => $"{Detail(raised)}sent alert {AlertName(raised.AlertDescription)}",
        _ => exception.Message,
    };

    public static (string Code, string Message) Classify(Exception exception, TlsPolicy policy, bool? certificateRequested, bool certificateSent, bool certificateOffered)
    {
        var reason = Reason(exception);
        var alert = exception switch
        {
            TlsFatalAlertReceived received => received.AlertDescription,
            TlsFatalAlert raised => raised.AlertDescription,
            _ => (short)-1,
        };

        if (alert == AlertDescription.protocol_version)
        {
            var min = (policy.MinProtocol ?? TlsProtocolVersion.Tls12).ToDisplay();
            var max = (policy.MaxProtocol ?? TlsProtocolVersion.Tls13).ToDisplay();
            return (FindingCodes.TlsProtocolVersion, $"the server does not support any TLS protocol version between {min} and {max} ({reason})");
        }

        // Only an alert the server sent can be its verdict on our certificate.
        if (exception is TlsFatalAlertReceived
            && HandshakeFailures.ClientCertificateFailure(reason, certificateRequested, certificateSent, certificateOffered) is { } clientFailure)
        {
            return (clientFailure.Code, clientFailure.Message);
        }

        if (exception is TlsFatalAlert { AlertDescription: AlertDescription.decode_error or AlertDescription.record_overflow or AlertDescription.unexpected_message }
            && reason.Contains("version", StringComparison.OrdinalIgnoreCase))
        {
            return (FindingCodes.TlsHandshakeFailed, $"the server did not answer with TLS records; it may not speak TLS on this port ({reason})");
        }

        if (exception is EndOfStreamException or TlsNoCloseNotifyException || (alert < 0 && exception is IOException))
        {
            return (FindingCodes.TlsHandshakeFailed, $"the connection broke during the TLS handshake: {reason}");
        }

        return (FindingCodes.TlsHandshakeFailed, $"TLS handshake failed: {reason}");
    }

    /// <summary>"protocol_version" -> "protocol version", the way OpenSSL names alerts.</summary>
    private static string AlertName(short description) => AlertDescription.GetName(description).Replace('_', ' ');

    private static string Detail(TlsFatalAlert alert)
    {
        // BouncyCastle's message is "<alert text>" or "<alert text>; <cause>": keep only a cause it adds.
        var message = alert.Message ?? "";
        var cut = message.IndexOf("; ", StringComparison.Ordinal);
        var detail = cut >= 0 ? message[(cut + 2)..] : alert.InnerException?.Message;
        return string.IsNullOrEmpty(detail) ? "" : detail + ": ";
    }
}

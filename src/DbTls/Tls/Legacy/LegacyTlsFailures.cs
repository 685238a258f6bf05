using DbTls.Policy;
using Org.BouncyCastle.Tls;

namespace DbTls.Tls.Legacy;

/// <summary>
/// The BouncyCastle engine's adapter to <see cref="HandshakeFailures"/>: the same rules, codes and messages as
/// for SslStream. Alerts are phrased as OpenSSL phrases them ("alert protocol version", "alert handshake
/// failure") so the shared client-certificate rules apply to the reason text.
/// </summary>
internal static class LegacyTlsFailures
{
    /// <summary>
    /// What went wrong in our own words. BouncyCastle's texts are never passed on: they name .NET types
    /// ("IOException converting stream to byte array") and read as the library's internals, not the protocol.
    /// </summary>
    public static string Reason(Exception exception) => exception switch
    {
        TlsFatalAlertReceived received => $"received alert {AlertName(received.AlertDescription)}",
        TlsFatalAlert raised => $"{Detail(raised)}sent alert {AlertName(raised.AlertDescription)}",
        EndOfStreamException or TlsNoCloseNotifyException => "the server closed the connection",
        IOException => "the connection failed",
        _ => "the TLS 1.0/1.1 engine could not continue",
    };

    /// <summary>The BouncyCastle adapter: reads the alert (and who sent it) into the facts the shared rules take.</summary>
    public static (string Code, string Message) Classify(Exception exception, TlsPolicy policy, bool? certificateRequested, bool certificateSent, bool certificateOffered)
    {
        var alert = exception switch
        {
            TlsFatalAlertReceived received => received.AlertDescription,
            TlsFatalAlert raised => raised.AlertDescription,
            _ => (short)-1,
        };

        var facts = new HandshakeFailureFacts
        {
            Reason = Reason(exception),
            VersionRefused = alert == AlertDescription.protocol_version,
            // Only an alert the server sent can be its verdict on our certificate.
            MayJudgeClientCertificate = exception is TlsFatalAlertReceived,
            // BouncyCastle reads a non-TLS first byte as a record with a bad version; its text is read only to classify.
            NotTls = exception is TlsFatalAlert { AlertDescription: AlertDescription.decode_error or AlertDescription.record_overflow or AlertDescription.unexpected_message } notTls
                && (notTls.Message ?? "").Contains("version", StringComparison.OrdinalIgnoreCase),
            ReceivedAlert = exception is TlsFatalAlertReceived ? alert : null,
            ConnectionBroke = exception is EndOfStreamException or TlsNoCloseNotifyException || (alert < 0 && exception is IOException),
        };
        return HandshakeFailures.Classify(facts, policy, certificateRequested, certificateSent, certificateOffered);
    }

    /// <summary>"protocol_version" -> "protocol version", the way OpenSSL names alerts.</summary>
    private static string AlertName(short description) => AlertDescription.GetName(description).Replace('_', ' ');

    /// <summary>Why we raised the alert, in our words: the part of the server's handshake we could not accept.</summary>
    private static string Detail(TlsFatalAlert alert) => alert.AlertDescription switch
    {
        AlertDescription.bad_certificate or AlertDescription.unsupported_certificate or AlertDescription.certificate_unknown
            => "the server's certificate message could not be read: ",
        AlertDescription.decode_error or AlertDescription.illegal_parameter or AlertDescription.record_overflow
            => "the server's handshake message is malformed: ",
        AlertDescription.unexpected_message => "the server sent a handshake message out of order: ",
        _ => "",
    };
}

using System.Globalization;
using Org.BouncyCastle.Tls;

namespace DbTls.Tls;

/// <summary>
/// TLS alert numbers (RFC 8446 6) as both engines report them: OpenSSL packs a received alert into its error code
/// as reason 1000 + alert number (SSL_AD_REASON_OFFSET, the SSL_R_SSLV3_ALERT_* / SSL_R_TLSV1_ALERT_* reasons), and
/// BouncyCastle carries the number itself. Decoding the number, not OpenSSL's English reason text, keeps the
/// classification independent of how an OpenSSL version words it.
/// </summary>
internal static class TlsAlerts
{
    public const int BadCertificate = 42;
    public const int UnsupportedCertificate = 43;
    public const int CertificateRevoked = 44;
    public const int CertificateExpired = 45;
    public const int CertificateUnknown = 46;
    public const int UnknownCa = 48;
    public const int AccessDenied = 49;
    public const int DecryptError = 51;
    public const int CertificateRequired = 116;

    private const int LibSsl = 20; // ERR_LIB_SSL
    private const int AlertReasonOffset = 1000; // SSL_AD_REASON_OFFSET

    /// <summary>The alert a peer sent, read from OpenSSL's error code anywhere in the exception chain.</summary>
    public static bool TryReceivedFromOpenSsl(Exception exception, out int alert)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (TryFromErrorCode(current.HResult, out alert) || (TryParseErrorCode(current.Message, out var code) && TryFromErrorCode(code, out alert)))
            {
                return true;
            }
        }

        alert = -1;
        return false;
    }

    /// <summary>"alert unknown ca (48)": the alert as OpenSSL names it, with its number.</summary>
    public static string Describe(int alert) => $"alert {Name(alert)} ({alert.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>"unknown_ca" -> "unknown ca", the way OpenSSL names alerts.</summary>
    public static string Name(int alert) =>
        alert is >= 0 and <= 255 ? AlertDescription.GetName((short)alert).Replace('_', ' ') : "unknown";

    /// <summary>An OpenSSL 3 code packs lib &lt;&lt; 23 | reason; 1.1 packed lib &lt;&lt; 24 | func &lt;&lt; 12 | reason.</summary>
    private static bool TryFromErrorCode(int code, out int alert)
    {
        var unsigned = unchecked((uint)code);
        var reason = (unsigned >> 23) == LibSsl ? (int)(unsigned & 0x7FFFFF)
            : (unsigned >> 24) == LibSsl ? (int)(unsigned & 0xFFF)
            : -1;
        alert = reason - AlertReasonOffset;
        return alert is >= 0 and <= 255;
    }

    /// <summary>ERR_error_string_n's format: "error:0A000414:SSL routines::...": the code is the 8 hex digits.</summary>
    private static bool TryParseErrorCode(ReadOnlySpan<char> message, out int code)
    {
        code = 0;
        var start = message.IndexOf("error:", StringComparison.Ordinal);
        if (start < 0 || message.Length <= start + 14 || message[start + 14] != ':')
        {
            return false;
        }

        var ok = uint.TryParse(message.Slice(start + 6, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value);
        code = unchecked((int)value);
        return ok;
    }
}

using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls.Legacy;
using Org.BouncyCastle.Tls;

namespace DbTls.Tests.Tls.Legacy;

/// <summary>
/// The legacy engine's failures in our own words: BouncyCastle's texts (found by fuzz/ tls-legacy: "IOException
/// converting stream to byte array") name .NET types and must never reach a finding.
/// </summary>
public sealed class LegacyTlsFailureTextTests
{
    private static readonly TlsPolicy Policy = new() { Encryption = EncryptionMode.Required };

    public static TheoryData<Exception> Failures => new()
    {
        new TlsFatalAlert(AlertDescription.bad_certificate, new IOException("IOException converting stream to byte array")),
        new TlsFatalAlert(AlertDescription.decode_error, "Not enough data; ArgumentOutOfRangeException"),
        new IOException("System.Net.Sockets.SocketException (104): Connection reset by peer"),
        new InvalidOperationException("NullReferenceException inside the library"),
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_failure_message_carries_no_library_text(Exception failure)
    {
        var (code, message) = LegacyTlsFailures.Classify(failure, Policy, certificateRequested: null, certificateSent: false, certificateOffered: false);

        Assert.Equal(FindingCodes.TlsHandshakeFailed, code);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
        Assert.DoesNotContain("converting stream", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_the_engine_could_not_read_is_named_with_the_alert_it_sent()
    {
        var (_, message) = LegacyTlsFailures.Classify(
            new TlsFatalAlert(AlertDescription.bad_certificate, new IOException("IOException converting stream to byte array")),
            Policy, certificateRequested: null, certificateSent: false, certificateOffered: false);

        Assert.Equal("TLS handshake failed: the server's certificate message could not be read: sent alert bad certificate", message);
    }
}

using System.Security.Authentication;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls;
using DbTls.Tls.Legacy;
using Org.BouncyCastle.Tls;

namespace DbTls.Tests.Tls;

/// <summary>
/// The SslStream adapter (OpenSSL's error text) and the BouncyCastle adapter (alert numbers) feed one rule set:
/// the same failure seen by either engine gives the same finding code and wording.
/// </summary>
public sealed class HandshakeFailureAdapterTests
{
    private static readonly TlsPolicy Policy = new() { Encryption = EncryptionMode.Required, MinProtocol = TlsProtocolVersion.Tls10, MaxProtocol = TlsProtocolVersion.Tls12 };

    private static (string Code, string Message) FromOpenSsl(string opensslError) =>
        HandshakeFailures.Classify(new AuthenticationException("Authentication failed", new InvalidOperationException(opensslError)), Policy, null, false, false);

    private static (string Code, string Message) FromBouncyCastle(Exception failure, bool requested = false) =>
        LegacyTlsFailures.Classify(failure, Policy, requested, false, false);

    [Fact]
    public void A_protocol_version_alert_is_the_same_finding_from_both_engines()
    {
        var openssl = FromOpenSsl("error:0A00042E:SSL routines::tlsv1 alert protocol version");
        var bouncy = FromBouncyCastle(new TlsFatalAlertReceived(AlertDescription.protocol_version));

        Assert.Equal(FindingCodes.TlsProtocolVersion, openssl.Code);
        Assert.Equal(openssl.Code, bouncy.Code);
        Assert.Equal("the server does not support any TLS protocol version between TLSv1 and TLSv1.2 (tlsv1 alert protocol version)", openssl.Message);
        Assert.Equal("the server does not support any TLS protocol version between TLSv1 and TLSv1.2 (received alert protocol version)", bouncy.Message);
    }

    [Fact]
    public void A_missing_client_certificate_is_the_same_finding_from_both_engines()
    {
        var openssl = HandshakeFailures.Classify(new AuthenticationException("Authentication failed", new InvalidOperationException("error:0A00045C:SSL routines::tlsv13 alert certificate required")), Policy, true, false, false);
        var bouncy = FromBouncyCastle(new TlsFatalAlertReceived(AlertDescription.certificate_required), requested: true);

        Assert.Equal((FindingCodes.ClientCertMissing, FindingCodes.ClientCertMissing), (openssl.Code, bouncy.Code));
        // OpenSSL's code 0x0A00045C is reason 1116 = 1000 + alert 116; both engines name the alert the same way.
        Assert.Equal("the server requires a client certificate and none was sent: alert certificate required (116)", openssl.Message);
        Assert.Equal(openssl.Message, bouncy.Message);
    }

    [Fact]
    public void Only_an_alert_the_server_sent_judges_the_client_certificate_in_the_legacy_engine()
    {
        // The same alert raised by the client is about the server's certificate, not ours.
        var raised = FromBouncyCastle(new TlsFatalAlert(AlertDescription.certificate_required), requested: true);

        Assert.Equal(FindingCodes.TlsHandshakeFailed, raised.Code);
    }
}

using DbTls.Policy;

namespace DbTls.Fuzz.Targets;

/// <summary>The server's first TLS flight (ServerHello, Certificate, key exchange, alerts) through SslStream/OpenSSL.</summary>
internal sealed class TlsRecordsTarget : TlsFlightTarget
{
    public override string Name => "tls-records";

    public override string Reaches => "TlsClient.AuthenticateAsync (ReportingSslStream, SslStream/OpenSSL, HandshakeFailures)";

    protected override TlsPolicy Policy { get; } = new()
    {
        Encryption = EncryptionMode.Required,
        Verification = VerificationLevel.None,
        MinProtocol = TlsProtocolVersion.Tls12,
    };
}
